// Database (uid cnc-database): the RDS instances (the provisioner's database and any the options
// name) through the CloudWatch datasource, whose Grafana service account assumes its role by IRSA.
// Namespace AWS/RDS, dimension DBInstanceIdentifier, one `dbInstance` variable (multi, All).
import { CloudWatchMetric, DashboardOptions, FOLDERS, FleetDashboard, GridLayout, VARS, cloudwatchDatasourceVariable, cloudwatchPanel, customVariable, newDashboard, toFleetDashboard } from "./common";

export const DATABASE_UID = "cnc-database";

export function databaseDashboard(o: DashboardOptions): FleetDashboard {
    const d = newDashboard(DATABASE_UID, "Database (RDS)", "RDS instances from CloudWatch AWS/RDS: CPU, storage, connections, latency, memory, IOPS.").withVariable(cloudwatchDatasourceVariable(o));
    const named = o.rdsInstanceIds.length > 0;
    if (named) d.withVariable(customVariable(VARS.dbInstance, "DB instance", o.rdsInstanceIds, { multi: true, includeAll: true }));
    const rds = (metricName: string, statistic: string): CloudWatchMetric => ({
        namespace: "AWS/RDS",
        metricName,
        statistic,
        dimensions: { DBInstanceIdentifier: named ? `$${VARS.dbInstance}` : "*" },
        matchExact: named,
        label: "${PROP('Dim.DBInstanceIdentifier')}",
    });
    const g = new GridLayout(d);

    g.row("Load");
    g.add(cloudwatchPanel("timeseries", "CPU utilization", [rds("CPUUtilization", "Average")], o.region, { unit: "percent", min: 0, max: 100, thresholds: [{ value: 80, color: "red" }] }), 12, 8);
    g.add(cloudwatchPanel("timeseries", "Database connections", [rds("DatabaseConnections", "Maximum")], o.region, { unit: "short" }), 12, 8);
    g.row("Capacity");
    g.add(cloudwatchPanel("timeseries", "Free storage space", [rds("FreeStorageSpace", "Minimum")], o.region, { unit: "bytes" }), 12, 8);
    g.add(cloudwatchPanel("timeseries", "Freeable memory", [rds("FreeableMemory", "Minimum")], o.region, { unit: "bytes" }), 12, 8);
    g.row("Latency and IOPS");
    g.add(cloudwatchPanel("timeseries", "Read latency", [rds("ReadLatency", "Average")], o.region, { unit: "s" }), 12, 8);
    g.add(cloudwatchPanel("timeseries", "Write latency", [rds("WriteLatency", "Average")], o.region, { unit: "s" }), 12, 8);
    g.add(cloudwatchPanel("timeseries", "Read IOPS", [rds("ReadIOPS", "Average")], o.region, { unit: "iops" }), 12, 8);
    g.add(cloudwatchPanel("timeseries", "Write IOPS", [rds("WriteIOPS", "Average")], o.region, { unit: "iops" }), 12, 8);

    return toFleetDashboard(FOLDERS.aws, d);
}
