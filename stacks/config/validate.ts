import { z } from "zod";
import { Problem, renderProblem } from "../../components/common/errors";
import { fieldPath, problemsFrom } from "../../components/common/schema";

/** The Pulumi config namespace of this project. */
export const NAMESPACE = "cloud-cnc";

/** `cloud-cnc:network.zoneAssociations[0].vpcId` for the path ["network", "zoneAssociations", 0, "vpcId"]. */
export function keyName(path: PropertyKey[]): string {
    return `${NAMESPACE}:${fieldPath(path)}`;
}

/** Problems of a config value parsed by `schema`, each located by its full config key. */
export function configProblems(error: z.ZodError, input: unknown, schema: z.ZodType, basePath: PropertyKey[] = []): Problem[] {
    return problemsFrom(error, input, keyName, schema, basePath);
}

/** Parses one config section with its schema; returns the value or the rendered problems. */
export function validateSection<S extends z.ZodType>(section: string, schema: S, raw: unknown): { value?: z.infer<S>; problems: Problem[]; messages: string[] } {
    const result = schema.safeParse(raw);
    if (result.success) return { value: result.data, problems: [], messages: [] };
    const problems = configProblems(result.error, raw, schema, [section]);
    return { problems, messages: problems.map(renderProblem) };
}
