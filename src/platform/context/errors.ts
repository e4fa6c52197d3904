/** NGSI-LD problem types (ETSI GS CIM 009, 5.5.2) and the statuses the spec gives them. */
export const problemTypes = {
  InvalidRequest: 400,
  BadRequestData: 400,
  AlreadyExists: 409,
  OperationNotSupported: 422,
  ResourceNotFound: 404,
  InternalError: 500,
  TooComplexQuery: 403,
  TooManyResults: 403,
  LdContextNotAvailable: 503,
  NotAcceptable: 406,
  UnsupportedMediaType: 415,
} as const;

export type ProblemType = keyof typeof problemTypes;

const titles: Record<ProblemType, string> = {
  InvalidRequest: 'The request is not well formed',
  BadRequestData: 'The request includes input data which does not meet the requirements',
  AlreadyExists: 'The referred element already exists',
  OperationNotSupported: 'The operation is not supported',
  ResourceNotFound: 'The referred resource has not been found',
  InternalError: 'There has been an error during the operation execution',
  TooComplexQuery: 'The query is too complex',
  TooManyResults: 'The query result is too large',
  LdContextNotAvailable: 'A remote JSON-LD @context could not be retrieved',
  NotAcceptable: 'The requested media type is not available',
  UnsupportedMediaType: 'The request media type is not supported',
};

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
}

/** An error of the broker, rendered as NGSI-LD ProblemDetails. */
export class NgsiError extends Error {
  readonly status: number;
  constructor(
    readonly problem: ProblemType,
    detail?: string,
    /** Where the spec gives an operation its own status for a type (a failed @context reload: 504). */
    status?: number,
  ) {
    super(detail ?? titles[problem]);
    this.status = status ?? problemTypes[problem];
  }

  toProblem(): ProblemDetails {
    return {
      type: `https://uri.etsi.org/ngsi-ld/errors/${this.problem}`,
      title: titles[this.problem],
      status: this.status,
      detail: this.message,
    };
  }
}

export const invalid = (detail: string) => new NgsiError('InvalidRequest', detail);
export const badData = (detail: string) => new NgsiError('BadRequestData', detail);
export const notFound = (detail: string) => new NgsiError('ResourceNotFound', detail);
