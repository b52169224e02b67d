interface SegmentsProps<K extends string> {
  /** What the choice is about, for screen readers. */
  label: string;
  options: ReadonlyArray<{ key: K; label: string }>;
  value: K;
  onChange(key: K): void;
  /** The id of the list the choice filters. */
  controls: string;
}

/** Large segmented tabs that wrap onto a second row rather than scroll sideways: one tap, no swipe. */
export function Segments<K extends string>({ label, options, value, onChange, controls }: SegmentsProps<K>) {
  return (
    <div
      className={options.length === 5 ? 'act-segments act-segments-five' : 'act-segments'}
      role="tablist"
      aria-label={label}
    >
      {options.map((option) => (
        <button
          key={option.key}
          type="button"
          role="tab"
          aria-selected={option.key === value}
          aria-controls={controls}
          className={option.key === value ? 'act-segment act-segment-on' : 'act-segment'}
          onClick={() => onChange(option.key)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
