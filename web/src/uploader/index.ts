// The uploader engine: no DOM. The page wires it to XHR, localStorage and the sign-in.
export * from './types';
export { ApiError, NetworkError, S3Error, SignInRequiredError, UploadError, describe } from './errors';
export { ServerClock, systemClock, alwaysOnline, type Clock, type Network } from './environment';
export { planUpload, partRange, defaultPartSize, isValidPartSize, MiB, GiB, TiB, type PartPlan } from './part-plan';
export { MemoryStorage, ResumeStore, type KeyValueStorage, type ResumeRecord } from './resume-store';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
export type { S3Api } from './s3-api';
export { S3RestClient, S3_REQUEST_HEADERS, S3_RESPONSE_HEADERS } from './s3-rest';
export type { Transport, HttpRequest, HttpResponse, SendOptions } from './transport';
export { HttpUploadsApi, type UploadsApi } from './uploads-api';
export { Uploader, type UploaderOptions, type AddResult } from './uploader';
