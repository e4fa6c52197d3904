import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/States.tsx';
import { Select } from '../../ui/TextField.tsx';

/** The largest file the API takes (10 MB); checked here first so staff are told before uploading. */
const maxBytes = 10 * 1024 * 1024;

/** Staff: import cycle lanes from a GeoJSON file, all or nothing, with every problem listed. */
export function LaneImportCard() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const fileId = useId();
  const file = useRef<HTMLInputElement>(null);
  const [mode, setMode] = useState<'append' | 'replace'>('append');
  const [problem, setProblem] = useState<{
    title: string;
    errors: { path: string; message: string }[];
  } | null>(null);
  const run = useMutation({
    mutationFn: async () => {
      const f = file.current?.files?.[0];
      if (!f) throw new Error(t('cycling.import.noFile'));
      if (f.size > maxBytes) throw new Error(t('cycling.import.tooLarge'));
      let body: unknown;
      try {
        body = JSON.parse(await f.text());
      } catch {
        throw new Error(t('cycling.import.notJson'));
      }
      const q = new URLSearchParams({ mode, source: f.name.slice(0, 300) });
      return api<{ imported: number; replaced: number }>('POST', `/api/cycling/lanes/import?${q}`, body);
    },
    onMutate: () => setProblem(null),
    onSuccess: () =>
      client.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('cycling-') }),
    onError: (e) =>
      setProblem(
        e instanceof ProblemError
          ? { title: e.problem.title ?? e.message, errors: e.problem.errors ?? [] }
          : { title: e.message, errors: [] },
      ),
  });
  return (
    <Card>
      <h2>{t('cycling.import.title')}</h2>
      <p>{t('cycling.import.lead')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={fileId}>{t('cycling.import.file')}</label>
          <input
            id={fileId}
            ref={file}
            type="file"
            accept=".geojson,.json,application/geo+json,application/json"
          />
        </div>
        <Select
          label={t('cycling.import.mode')}
          value={mode}
          onChange={(e) => setMode(e.target.value as 'append' | 'replace')}
          options={[
            { value: 'append', label: t('cycling.import.append') },
            { value: 'replace', label: t('cycling.import.replace') },
          ]}
        />
        <Button type="submit" disabled={run.isPending}>
          {t('cycling.import.submit')}
        </Button>
      </form>
      <div role="status" aria-live="polite">
        {run.isSuccess && (
          <p data-testid="lane-import-done">
            {t('cycling.import.done', { imported: run.data.imported, replaced: run.data.replaced })}
          </p>
        )}
      </div>
      {problem && (
        <div role="alert" className="error-state">
          <p>{problem.title}</p>
          {problem.errors.length > 0 && (
            <ul>
              {problem.errors.map((e) => (
                <li key={e.path}>
                  <code>{e.path}</code>: {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Card>
  );
}
