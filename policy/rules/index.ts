// Every rule of the pack, in report order.
import { ENCRYPTION_RULES } from "./encryption";
import { IAM_RULES, LAMBDA_RULES } from "./identity";
import { KUBERNETES_RULES } from "./kubernetes";
import { EKS_RULES, OPENSEARCH_RULES } from "./platform";
import { RDS_RULES, S3_RULES } from "./storage";
import type { Rule } from "./util";

export const RULES: Rule[] = [...S3_RULES, ...RDS_RULES, ...OPENSEARCH_RULES, ...EKS_RULES, ...IAM_RULES, ...LAMBDA_RULES, ...ENCRYPTION_RULES, ...KUBERNETES_RULES];
export { DEFAULT_CONFIG, CONFIG_SCHEMA } from "./util";
export type { PackConfig, Rule } from "./util";
