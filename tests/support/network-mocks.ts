// The network tests' view of the shared harness: ignoreChanges and providers maps per `type::name`.
import { HarnessOptions, Recorder, setupPulumi } from "./pulumi-harness";

export { resolverIp, routeTableFor } from "./pulumi-harness";

export interface CapturedOptions {
    ignoreChanges: string[];
    /** Package name -> provider reference, as sent for component (and remote component) resources. */
    providers: Record<string, string>;
}

/** setupPulumi, plus a lookup of the recorded ignoreChanges and providers map by `type::name`. */
export async function setupNetworkPulumi(options: HarnessOptions = {}): Promise<{ rec: Recorder; captured: { get(key: string): CapturedOptions | undefined } }> {
    const rec = await setupPulumi(options);
    const captured = {
        get(key: string): CapturedOptions | undefined {
            const r = rec.resources.find((x) => `${x.type}::${x.name}` === key);
            return r && { ignoreChanges: r.ignoreChanges, providers: r.providers };
        },
    };
    return { rec, captured };
}
