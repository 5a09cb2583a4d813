/**
 * The core as front ends see it: small ports made from the app by the composition root (`relayPorts`),
 * or with the app wired for a process of their own (`openRelay`). Adapters and the command line import
 * these, never `core/app.ts` or the backend pool.
 */
export { type ApiPorts, apiPorts } from './api-ports.ts';
export { type ApiRecords, apiRecords } from './api-records.ts';
export {
  type BackendHealth,
  type BackendReport,
  type BackendStatus,
  backendStatus,
  probeBackend,
} from './backend-status.ts';
export { type JobsPort, jobsPort } from './jobs-port.ts';
export { openRelay, type Relay, type RelayOptions } from './open-relay.ts';
export { type QuotaReport, quotaReport } from './quota-report.ts';
export { type RelayPorts, relayPorts } from './relay-ports.ts';
export { type ResultHolders, type ResultImage, type ResultReader, resultReader } from './result-reader.ts';
export { type TemplateCatalog, templateCatalog } from './template-catalog.ts';
export { type UploadStaging, uploadStaging } from './upload-staging.ts';
