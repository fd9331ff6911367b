// Mock answers and request capture the CommandControlNetwork tests need beyond the shared harness:
// the route-table lookup by subnet, Resolver endpoint IPs, and the resource options the harness does
// not record (ignoreChanges, and the providers map sent with remote components such as awsx Vpc).
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_ID, DEFAULT_REGION, HarnessOptions, Recorder, setupPulumi } from "./pulumi-harness";

/** The route table ID the mock answers for a subnet (awsx gives each subnet its own table). */
export function routeTableFor(subnetId: string): string {
    return `rtb-${subnetId}`;
}

/** The IP the mock gives the n-th address of a Resolver endpoint. */
export function resolverIp(endpointName: string, n: number): string {
    return `10.${endpointName.includes("inbound") ? 1 : 2}.0.${10 + n}`;
}

export function networkCall(args: pulumi.runtime.MockCallArgs): Record<string, any> | undefined {
    if (args.token === "aws:ec2/getRouteTable:getRouteTable") {
        const subnetId = args.inputs.subnetId as string;
        const id = routeTableFor(subnetId);
        return {
            id,
            routeTableId: id,
            arn: `arn:aws:ec2:${DEFAULT_REGION}:${ACCOUNT_ID}:route-table/${id}`,
            subnetId,
            vpcId: args.inputs.vpcId,
            ownerId: ACCOUNT_ID,
            associations: [{ subnetId, routeTableId: id, main: false }],
            routes: [],
            tags: {},
            gatewayId: "",
            region: DEFAULT_REGION,
        };
    }
    return undefined;
}

export function networkState(args: pulumi.runtime.MockResourceArgs): Record<string, any> | undefined {
    if (args.type === "aws:route53/resolverEndpoint:ResolverEndpoint") {
        const ips = (args.inputs.ipAddresses ?? []) as Array<{ subnetId: string }>;
        return { ipAddresses: ips.map((a, n) => ({ ...a, ip: resolverIp(args.name, n), ipId: `rni-${n}` })), hostVpcId: "vpc-host" };
    }
    return undefined;
}

export interface CapturedOptions {
    ignoreChanges: string[];
    /** Package name -> provider reference, as sent for component (and remote component) resources. */
    providers: Record<string, string>;
}

/**
 * setupPulumi with the network answers, plus a capture of ignoreChanges and providers maps per
 * `type::name` (wraps the monitor the harness already wrapped).
 */
export async function setupNetworkPulumi(options: HarnessOptions = {}): Promise<{ rec: Recorder; captured: Map<string, CapturedOptions> }> {
    const rec = await setupPulumi({
        ...options,
        call: (a) => options.call?.(a) ?? networkCall(a),
        state: (a) => ({ ...(networkState(a) ?? {}), ...(options.state?.(a) ?? {}) }),
    });
    const captured = new Map<string, CapturedOptions>();
    const monitor = pulumi.runtime.getMonitor() as any;
    const inner = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        const providers: Record<string, string> = {};
        req.getProvidersMap().forEach((ref: string, pkg: string) => (providers[pkg] = ref));
        captured.set(`${req.getType()}::${req.getName()}`, { ignoreChanges: req.getIgnorechangesList(), providers });
        inner(req, callback);
    };
    return { rec, captured };
}
