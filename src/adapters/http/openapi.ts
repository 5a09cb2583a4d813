import { z } from 'zod';
import * as S from './schemas.ts';

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output') =>
  z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
const json = (s: z.ZodType, description = 'OK') => ({
  description,
  content: { 'application/json': { schema: schema(s) } },
});
const error = { description: 'Error', content: { 'application/json': { schema: schema(S.ErrorEnvelope) } } };
const body = (s: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema: schema(s, 'input') } },
});
const id = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
const page = [
  { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } },
  { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
];
const idem = { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } };
const sse = {
  description: 'Server-sent events with ids; resume with Last-Event-ID',
  content: { 'text/event-stream': { schema: { type: 'string' } } },
};

/** The OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with. */
export function openApiDocument(serverUrl?: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'ComfyRelay HTTP API',
      version: '1',
      description: 'Comfy API v2–compatible jobs and assets, plus ComfyRelay’s own /api/relay.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: {
      '/api/v2/jobs': {
        post: {
          operationId: 'postJobs',
          parameters: [idem],
          requestBody: body(S.PostJobsBody),
          responses: { 201: json(S.Job, 'Job created and queued'), 401: error, 422: error, 429: error },
        },
      },
      '/api/v2/jobs/{id}': {
        get: { operationId: 'getJob', parameters: id, responses: { 200: json(S.Job), 404: error } },
      },
      '/api/v2/jobs/{id}/workflow': {
        get: {
          operationId: 'getJobWorkflow',
          parameters: id,
          responses: { 200: json(S.JobWorkflow), 404: error },
        },
      },
      '/api/v2/jobs/{id}/events': {
        get: { operationId: 'getJobEvents', parameters: id, responses: { 200: sse, 404: error } },
      },
      '/api/v2/jobs/{id}/cancel': {
        post: { operationId: 'cancelJob', parameters: id, responses: { 200: json(S.Job), 404: error } },
      },
      '/api/v2/assets': {
        post: {
          operationId: 'postAssets',
          parameters: [idem],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: {
                    content_type: { type: 'string' },
                    file_path: { type: 'string' },
                    expected_hash: { type: 'string' },
                    file: { type: 'string', format: 'binary' },
                  },
                },
              },
            },
          },
          responses: { 201: json(S.Asset), 409: error, 413: error, 415: error, 422: error, 429: error },
        },
      },
      '/api/v2/assets/from-hash': {
        post: {
          operationId: 'assetFromHash',
          requestBody: body(S.AssetFromHashBody),
          responses: { 201: json(S.Asset), 404: error, 429: error },
        },
      },
      '/api/v2/assets/by-hash/{hash}': {
        head: {
          operationId: 'headAssetByHash',
          parameters: [{ name: 'hash', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'Exists' }, 404: { description: 'Unknown' } },
        },
      },
      '/api/v2/assets/{id}': {
        get: { operationId: 'getAsset', parameters: id, responses: { 200: json(S.Asset), 404: error } },
        delete: {
          operationId: 'deleteAsset',
          parameters: id,
          responses: { 204: { description: 'Deleted' }, 404: error },
        },
      },
      '/api/v2/assets/{id}/content': {
        get: {
          operationId: 'getAssetContent',
          parameters: [...id, { name: 'Range', in: 'header', required: false, schema: { type: 'string' } }],
          responses: {
            200: { description: 'The content' },
            206: { description: 'A range' },
            416: { description: 'Range not satisfiable' },
          },
        },
      },
      '/api/relay/workflows': {
        get: {
          operationId: 'listWorkflows',
          responses: { 200: json(z.object({ workflows: z.array(S.RelayWorkflow) })) },
        },
      },
      '/api/relay/imagine': {
        post: {
          operationId: 'imagine',
          parameters: [
            idem,
            { name: 'wait', in: 'query', schema: { type: 'boolean' } },
            { name: 'stream', in: 'query', schema: { type: 'boolean' } },
            {
              name: 'response',
              in: 'query',
              description:
                'With wait=true: binary (the image), url (the job with output URLs) or base64 (the job with `files`); default base64 with `Accept: application/json`, else binary.',
              schema: { type: 'string', enum: ['binary', 'url', 'base64'] },
            },
          ],
          requestBody: body(S.ImagineBody),
          responses: {
            200: {
              description:
                'wait=true: the image, the job as JSON (response=url, or several outputs), or the job with its outputs as base64 (response=base64); stream=true: SSE ending with `result`',
              content: {
                'image/png': { schema: { type: 'string', format: 'binary' } },
                'application/json': { schema: schema(z.union([S.RelayJobWithFiles, S.RelayJob])) },
                'text/event-stream': { schema: { type: 'string' } },
              },
            },
            202: json(S.RelayJob, 'Queued'),
            400: error,
            401: error,
            413: error,
            415: error,
            422: error,
            429: error,
          },
        },
      },
      '/api/relay/jobs': {
        get: {
          operationId: 'listJobs',
          parameters: page,
          responses: {
            200: json(z.object({ jobs: z.array(S.RelayJob), next_cursor: z.string().nullable() })),
            400: error,
          },
        },
      },
      '/api/relay/assets': {
        get: {
          operationId: 'listAssets',
          parameters: page,
          responses: {
            200: json(z.object({ assets: z.array(S.Asset), next_cursor: z.string().nullable() })),
            400: error,
          },
        },
      },
      '/api/relay/jobs/{id}': {
        get: { operationId: 'getRelayJob', parameters: id, responses: { 200: json(S.RelayJob), 404: error } },
      },
      '/api/relay/jobs/{id}/events': {
        get: { operationId: 'getRelayJobEvents', parameters: id, responses: { 200: sse } },
      },
      '/api/relay/jobs/{id}/cancel': {
        post: { operationId: 'cancelRelayJob', parameters: id, responses: { 200: json(S.RelayJob) } },
      },
      '/healthz': { get: { security: [], responses: { 200: { description: 'Up' } } } },
      '/readyz': {
        get: {
          security: [],
          responses: {
            200: { description: 'Ready' },
            503: { description: 'No healthy backend or queue full' },
          },
        },
      },
      '/metrics': { get: { responses: { 200: { description: 'Prometheus text format' } } } },
    },
  };
}
