// The Lambda entry point. `createRegistrarHandler` is the factory the DnsRegistrar component hands
// to aws.lambda.CallbackFunction (callbackFactory): it runs once per execution environment (cold
// start), reads the settings from the environment, creates the SDK clients, and returns the async
// handler. It captures nothing from the Pulumi program: everything comes from process.env.
import { EKSClient } from "@aws-sdk/client-eks";
import { Route53Client } from "@aws-sdk/client-route-53";
import { ClusterAccess, Credentials, describeCluster, eksToken } from "./eks-auth";
import { createKubeStore } from "./kube";
import { isRegistrarRunError, reconcile, RegistrarDeps, RunSummary } from "./registrar";
import { listAllRecordSets } from "./route53";
import { settingsFromEnv } from "./settings";
import { createPowertoolsTelemetry } from "./telemetry";

/** What the handler needs from the Lambda context (a subset of aws-lambda's Context). */
export interface LambdaContextLike {
    functionName?: string;
    awsRequestId?: string;
    getRemainingTimeInMillis?(): number;
}

/** How long a DescribeCluster answer is reused by a warm execution environment. */
export const CLUSTER_ACCESS_TTL_MS = 10 * 60_000;

/** A short description of the triggering event for the logs. */
export function describeTrigger(event: unknown): Record<string, unknown> {
    const e = (event ?? {}) as { source?: unknown; "detail-type"?: unknown; region?: unknown; detail?: { requestParameters?: { hostedZoneId?: unknown }; eventName?: unknown } };
    return {
        source: typeof e.source === "string" ? e.source : "direct",
        detailType: typeof e["detail-type"] === "string" ? e["detail-type"] : undefined,
        eventName: typeof e.detail?.eventName === "string" ? e.detail.eventName : undefined,
        hostedZoneId: typeof e.detail?.requestParameters?.hostedZoneId === "string" ? e.detail.requestParameters.hostedZoneId : undefined,
    };
}

/** The handler factory (runs at cold start). Every event triggers a full reconciliation. */
export function createRegistrarHandler(): (event: unknown, context?: LambdaContextLike) => Promise<RunSummary> {
    const settings = settingsFromEnv(process.env);
    const telemetry = createPowertoolsTelemetry();
    // Route 53 retries are the adapter's own (backoff on throttling and PriorRequestNotComplete).
    const route53 = new Route53Client({ region: settings.region, maxAttempts: 1 });
    const eks = new EKSClient({ region: settings.region });
    let access: { value: ClusterAccess; at: number } | undefined;

    const deps: RegistrarDeps = {
        listZone: (zoneId) => listAllRecordSets(route53, zoneId),
        now: () => new Date(),
        store: async () => {
            if (!access || Date.now() - access.at > CLUSTER_ACCESS_TTL_MS) {
                const described = await describeCluster(eks, settings.clusterName);
                access = {
                    value: {
                        server: settings.kubeServer ?? described.server,
                        caData: settings.kubeCaData ?? described.caData,
                    },
                    at: Date.now(),
                };
            }
            const credentials = (await eks.config.credentials()) as Credentials;
            const token = await eksToken({ clusterName: settings.clusterName, region: settings.region, credentials, stsEndpoint: settings.stsEndpoint });
            return createKubeStore({ server: access.value.server, caData: access.value.caData, token, namespace: settings.namespace, timeoutMs: settings.kubeTimeoutMs });
        },
    };

    return async (event, context) => {
        if (context && typeof context.awsRequestId === "string") telemetry.logger.appendKeys({ requestId: context.awsRequestId });
        telemetry.info("run started", { trigger: describeTrigger(event) });
        try {
            return await reconcile(settings, deps, telemetry);
        } catch (err) {
            // A failure to connect (DescribeCluster, RBAC) must reach the logs before it fails the invocation.
            if (!isRegistrarRunError(err)) telemetry.error("run aborted", { error: err instanceof Error ? err.message : String(err) });
            access = err instanceof Error && /HTTP 401/.test(err.message) ? undefined : access;
            throw err;
        } finally {
            telemetry.flush();
        }
    };
}
