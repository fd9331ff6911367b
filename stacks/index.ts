// Pulumi program entry (Pulumi.yaml `main`): validate the stack's config — every problem at
// once, before anything is registered — then compose the stack and export its outputs.
import { composeStack } from "./compose";
import { loadStackConfig } from "./config";

export = async () => composeStack(loadStackConfig());
