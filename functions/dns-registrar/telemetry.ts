// Structured JSON logs (Powertools Logger) and CloudWatch metrics in the Embedded Metric Format
// (Powertools Metrics: written to stdout, no PutMetricData permission needed).
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Telemetry } from "./registrar";

export const SERVICE_NAME = "dns-registrar";
export const METRICS_NAMESPACE = "CloudCnc/DnsRegistrar";

export interface PowertoolsTelemetry extends Telemetry {
    logger: Logger;
    metrics: Metrics;
    /** Writes the stored metrics (one EMF document) and clears them. */
    flush(): void;
}

/** Telemetry on Powertools; service name and namespace may be overridden by POWERTOOLS_* variables. */
export function createPowertoolsTelemetry(): PowertoolsTelemetry {
    const logger = new Logger({ serviceName: SERVICE_NAME });
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
    return {
        logger,
        metrics,
        info: (message, fields) => logger.info(message, fields ?? {}),
        warn: (message, fields) => logger.warn(message, fields ?? {}),
        error: (message, fields) => logger.error(message, fields ?? {}),
        metric: (name, unit, value) => metrics.addMetric(name, unit === "Count" ? MetricUnit.Count : MetricUnit.Milliseconds, value),
        flush: () => metrics.publishStoredMetrics(),
    };
}
