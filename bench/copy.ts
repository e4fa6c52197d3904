// `COPY … FROM STDIN` for the ingest benchmark's physical-limit baseline. pg-copy-streams is not a
// dependency, so this speaks the copy sub-protocol through pg's submittable-query hook: send the
// statement, answer the server's CopyInResponse with the data and CopyDone, wait for ReadyForQuery.
import { performance } from 'node:perf_hooks';
import pg from 'pg';

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

class CopyIn {
  private error: Error | null = null;
  private settle!: (err: Error | null) => void;
  readonly done = new Promise<void>((resolve, reject) => {
    this.settle = (err) => (err ? reject(err) : resolve());
  });

  constructor(
    readonly text: string,
    private readonly chunks: Buffer[],
  ) {}

  submit(connection: CopyConnection) {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection) {
    for (const c of this.chunks) connection.sendCopyFromChunk(c);
    connection.endCopyFrom();
  }

  handleCommandComplete() {}

  handleError(err: Error) {
    this.error = err;
  }

  handleReadyForQuery() {
    this.settle(this.error);
  }
}

/**
 * Runs `statement` (a `COPY … FROM STDIN`) with `chunks` (COPY text format) on a connection of its own.
 * Returns the seconds the COPY took, connecting not included.
 */
export async function copyIn(url: string, statement: string, chunks: Buffer[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const start = performance.now();
    const copy = new CopyIn(statement, chunks);
    client.query(copy as unknown as pg.Submittable);
    await copy.done;
    return (performance.now() - start) / 1000;
  } finally {
    await client.end();
  }
}
