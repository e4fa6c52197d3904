import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api.ts';
import { checkPhotos, maxPhotos, photoAccept } from '../forms/photos.ts';
import { Button } from './Button.tsx';

/**
 * Up to five photos from a phone's camera or gallery, with previews and a way to take one out.
 * Chosen files add to those already picked; a choice that breaks a limit is refused and said why
 * (announced), leaving the earlier ones. The server checks again by the files' bytes.
 */
export function PhotoPicker({
  label,
  files,
  onChange,
  error,
}: {
  label: string;
  files: File[];
  onChange: (files: File[]) => void;
  /** A server error for the photos, shown like a local one. */
  error?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [problem, setProblem] = useState<string>();
  const urls = useMemo(() => files.map((f) => URL.createObjectURL(f)), [files]);
  useEffect(
    () => () => {
      for (const u of urls) URL.revokeObjectURL(u);
    },
    [urls],
  );
  const shown = problem ?? error;
  const hintId = `${id}-hint`;
  const errorId = shown ? `${id}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p id={hintId} className="hint">
        {t('photos.hint', { max: maxPhotos })}
      </p>
      <input
        id={id}
        type="file"
        name="photos"
        multiple
        accept={photoAccept}
        disabled={files.length >= maxPhotos}
        aria-invalid={shown ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ')}
        onChange={(e) => {
          const chosen = [...files, ...Array.from(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          const p = checkPhotos(chosen);
          setProblem(p ? t(`photos.errors.${p}`, { max: maxPhotos }) : undefined);
          if (!p) onChange(chosen);
        }}
      />
      {shown && (
        <p id={errorId} className="field-error" role="alert">
          {shown}
        </p>
      )}
      {files.length > 0 && (
        <ul className="photo-previews" aria-label={t('photos.chosen', { count: files.length })}>
          {files.map((f, i) => (
            <li key={urls[i]}>
              <img
                src={urls[i]}
                alt={t('photos.preview', { n: i + 1, name: f.name })}
                width={96}
                height={96}
              />
              <Button
                variant="secondary"
                type="button"
                onClick={() => {
                  setProblem(undefined);
                  onChange(files.filter((_, j) => j !== i));
                }}
              >
                {t('photos.remove', { n: i + 1 })}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Thumbnails of a complaint's photos, each opening the full picture. */
export function PhotoThumbs({
  urls,
  alt,
}: {
  urls: { id: string; url: string; kind: 'report' | 'after' }[];
  alt: (n: number, kind: 'report' | 'after') => string;
}) {
  if (urls.length === 0) return null;
  return (
    <ul className="photo-thumbs">
      {urls.map((p, i) => (
        <li key={p.id}>
          <a href={p.url} target="_blank" rel="noopener">
            <img src={p.url} alt={alt(i + 1, p.kind)} width={72} height={72} loading="lazy" />
          </a>
        </li>
      ))}
    </ul>
  );
}

/**
 * The server's refusal of a photo, in the reader's language (the problem's title) with which
 * photo it was (the server names it by index, `/photos/<i>`); undefined for any other error.
 */
export function photoProblem(error: unknown): string | undefined {
  if (!(error instanceof ProblemError) || !error.problem.code?.startsWith('photo.')) return undefined;
  const index = /^\/photos\/(\d+)$/.exec(error.problem.errors?.[0]?.path ?? '');
  return index ? `${error.problem.title} (#${Number(index[1]) + 1})` : error.problem.title;
}
