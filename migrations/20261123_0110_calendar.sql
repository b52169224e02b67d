-- Administrators' overrides of the working-day calendar. Holidays and adjusted working days (调休) come from the
-- chinese-days library; a row here wins over it for its day: a holiday the library does not know yet (each year's
-- schedule is published late in the year before), or a local change. Deleting the row returns the day to the
-- library (or to the weekday rule).

CREATE TABLE calendar_days (
  day         date PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('workday', 'holiday')),
  name        text CHECK (char_length(name) BETWEEN 1 AND 50),
  updated_by  integer REFERENCES accounts (id),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
