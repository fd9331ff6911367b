// Realistic DashboardOptions for the FleetObservability dashboard suites (unit and integration).
import type { DashboardOptions } from "../../components/fleet-observability/dashboards";

export const DASHBOARD_OPTIONS: DashboardOptions = {
    cncClusterId: "C&C",
    region: "eu-west-1",
    openSearchDomainName: "cnc-prod-logs",
    awsAccountId: "123456789012",
    rdsInstanceIds: ["cnc-prod-provisioner", "cnc-prod-provisioner-replica"],
    registrarFunctionName: "cnc-prod-dns-registrar",
    registrarDlqName: "cnc-prod-dns-registrar-dlq",
    thanosDatasourceUid: "thanos",
    cloudWatchDatasourceUid: "cloudwatch",
};
