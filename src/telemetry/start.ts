/**
 * Imported first by src/index.ts, before restify and the Azure SDKs load, so that their HTTP requests and
 * dependencies are instrumented. Off without APPLICATIONINSIGHTS_CONNECTION_STRING.
 */
import { startTelemetry } from './index';

startTelemetry(process.env);
