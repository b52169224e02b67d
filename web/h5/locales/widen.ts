type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
/** A catalogue part's English side must have exactly the keys of its Chinese side (any strings). */
export type Catalogue<T> = Widen<T>;
