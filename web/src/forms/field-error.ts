import { ProblemError } from '../api.ts';

/**
 * A field's message: the form's own check first (an i18n key), else what the API said of that field
 * (`path`, say `/location/lat`, matched by its end as `ProblemError.fieldError` does).
 */
export function fieldMessage(
  t: (key: string) => string,
  local: Partial<Record<string, string>>,
  error: unknown,
  field: string,
  path = `/${field}`,
): string | undefined {
  const key = local[field];
  if (key) return t(key);
  return error instanceof ProblemError ? error.fieldError(path) : undefined;
}
