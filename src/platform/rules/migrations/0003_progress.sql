-- How far the evaluator has taken each device's readings of a quantity (observed time of the latest),
-- written with every batch's alerts: a rebuild replays only readings after it (and after the pair's
-- own row), so a pair whose alert was raised and resolved within a batch needs no row of its own.
CREATE TABLE rule_progress (
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  quantity text NOT NULL,
  last_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject, quantity)
);
