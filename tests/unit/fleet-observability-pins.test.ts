// The exporters FleetObservability deploys are the binaries the integration tests build and run
// (versions.ts `binaries.blackboxExporter` / `binaries.jsonExporter`), and the Helm values render
// exactly the pinned images: a bump of one without the other fails here.
import { strict as assert } from "assert";
import { versions } from "../../components/common/versions";
import { blackboxExporterValues, jsonExporterValues } from "../../components/fleet-observability/exporters";

describe("FleetObservability exporter pins (versions.ts)", () => {
    const fo = versions.fleetObservability;

    it("each exporter binary the tests build has the image tag the deployed image has", () => {
        assert.equal(versions.binaries.blackboxExporter.imageTag, fo.blackboxExporterImage.tag);
        assert.equal(versions.binaries.jsonExporter.imageTag, fo.jsonExporterImage.tag);
        // The exporters publish Go module versions equal to their release tags.
        assert.equal(versions.binaries.blackboxExporter.moduleVersion, fo.blackboxExporterImage.tag);
        assert.equal(versions.binaries.jsonExporter.moduleVersion, fo.jsonExporterImage.tag);
    });

    it("blackboxExporterValues renders the pinned image as the 11.17.2 chart takes it (registry / repository / tag)", () => {
        const v = blackboxExporterValues({ image: fo.blackboxExporterImage }) as { image: Record<string, string> };
        assert.deepEqual(v.image, { registry: "quay.io", repository: "prometheus/blackbox-exporter", tag: versions.binaries.blackboxExporter.imageTag, pullPolicy: "IfNotPresent" });
        // templates/_helpers.tpl joins registry/repository:tag: the image the pod runs.
        assert.equal(`${v.image.registry}/${v.image.repository}:${v.image.tag}`, `quay.io/prometheus/blackbox-exporter:${versions.binaries.blackboxExporter.imageTag}`);
    });

    it("jsonExporterValues renders the pinned image as the 0.19.2 chart takes it (repository with registry, tag)", () => {
        const v = jsonExporterValues({ image: fo.jsonExporterImage }) as { image: Record<string, string> };
        assert.deepEqual(v.image, { repository: "quay.io/prometheuscommunity/json-exporter", tag: versions.binaries.jsonExporter.imageTag, pullPolicy: "IfNotPresent" });
    });

    it("chart pins: the charts whose appVersion is the pinned image tag, never latest", () => {
        assert.deepEqual(fo.blackboxChart, { repo: "https://prometheus-community.github.io/helm-charts", chart: "prometheus-blackbox-exporter", version: "11.17.2" });
        assert.deepEqual(fo.jsonExporterChart, { repo: "https://prometheus-community.github.io/helm-charts", chart: "prometheus-json-exporter", version: "0.19.2" });
        for (const t of [fo.blackboxExporterImage.tag, fo.jsonExporterImage.tag]) assert.match(t, /^v\d+\.\d+\.\d+$/);
    });

    it("the dashboards SDK pinned in versions.ts is the exact version package.json installs", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const pkg = require("../../package.json") as { dependencies: Record<string, string> };
        assert.equal(pkg.dependencies["@grafana/grafana-foundation-sdk"], fo.grafanaFoundationSdk);
    });
});
