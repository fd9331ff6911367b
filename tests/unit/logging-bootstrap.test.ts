// The bootstrap handler's pure core: the desired-state hash, event checks and "is it different?".
import { strict as assert } from "assert";
import { canonicalJson, bootstrapEvent, desiredHash } from "../../functions/opensearch-bootstrap/contract";
import { differences, flattenSettings, indexTemplateDifferences, ismPolicyDifferences, roleDifferences, roleMappingDifferences } from "../../functions/opensearch-bootstrap/compare";
import { parseEvent } from "../../functions/opensearch-bootstrap/lambda";
import { MAX_INDEX_LIST_CHARS, indexListChunks } from "../../functions/opensearch-bootstrap/apply";
import fc from "fast-check";
import { renderDesiredState, renderIndexTemplate, renderIsmPolicy, renderRoles } from "../../components/logging/render";

const desired = () => renderDesiredState({ replicas: 1, writerRoleArns: ["arn:aws:iam::1:role/fb"], readerRoleArns: [] });

describe("opensearch-bootstrap core", () => {
    it("canonical JSON and the hash do not depend on key order, and change with any value", () => {
        assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
        const d = desired();
        const reordered = JSON.parse(JSON.stringify(d, Object.keys(d).reverse()));
        assert.equal(desiredHash("e", d), desiredHash("e", { ...reordered, ...d }));
        const changed = desired();
        changed.ismPolicy.policy.states[0].transitions[0].conditions!.min_index_age = "31d";
        assert.notEqual(desiredHash("e", changed), desiredHash("e", d));
        assert.notEqual(desiredHash("other-endpoint", d), desiredHash("e", d), "a replaced domain re-runs the bootstrap");
    });

    it("parseEvent accepts the rendered event (also as JSON text) and names what is missing", () => {
        const e = bootstrapEvent("vpc-x.eu-west-1.es.amazonaws.com", desired());
        assert.deepEqual(parseEvent(e), e);
        assert.deepEqual(parseEvent(canonicalJson(e)), e);
        assert.throws(() => parseEvent({ endpoint: "", desiredHash: "x" }), /^Error: bootstrap event: missing or invalid endpoint \(a domain endpoint\), desiredHash \(64 hex digits\), desired \(the desired state\)$/);
    });

    it("ISM: engine metadata and defaults are not differences; a changed retention or a removed condition is", () => {
        const policy = renderIsmPolicy({ retentionDays: 30, rolloverSize: "50gb", rolloverAge: "1d" });
        const stored = JSON.parse(JSON.stringify(policy));
        Object.assign(stored, { policy_id: "p", last_updated_time: 1, schema_version: 21, error_notification: null });
        stored.states[0].actions[0].rollover.copy_alias = false;
        stored.ism_template[0].last_updated_time = 1;
        assert.deepEqual(ismPolicyDifferences(policy, stored), []);
        const older = JSON.parse(JSON.stringify(stored));
        older.states[0].transitions[0].conditions.min_index_age = "7d";
        assert.deepEqual(ismPolicyDifferences(policy, older), ["states[0].transitions[0].conditions.min_index_age"]);
        const withoutSize = renderIsmPolicy({ retentionDays: 30, rolloverSize: "50gb", rolloverAge: "1d" });
        delete withoutSize.states[0].actions[0].rollover!.min_size;
        assert.deepEqual(ismPolicyDifferences(withoutSize, stored), ["states[0].actions[0].rollover.min_size"], "a condition we no longer set is a difference");
    });

    it("index template: nested stringified settings compare equal to our flat typed ones", () => {
        const t = renderIndexTemplate({ shards: 1, replicas: 0 });
        assert.deepEqual(flattenSettings({ index: { number_of_shards: "1", plugins: { index_state_management: { rollover_skip: "true" } } } }), {
            "index.number_of_shards": "1",
            "index.plugins.index_state_management.rollover_skip": "true",
        });
        const nested: Record<string, any> = {};
        for (const [k, v] of Object.entries(t.template.settings)) {
            const parts = k.split(".");
            let node = nested;
            for (const p of parts.slice(0, -1)) node = node[p] ??= {};
            node[parts[parts.length - 1]] = String(v);
        }
        const actual = { ...JSON.parse(JSON.stringify(t)), template: { ...t.template, settings: nested, aliases: {} } };
        assert.deepEqual(indexTemplateDifferences(t, actual), []);
        nested.index.number_of_replicas = "1";
        assert.deepEqual(indexTemplateDifferences(t, actual), ["template.settings.index.number_of_replicas"]);
    });

    it("roles and mappings: metadata ignored, permissions compared as sets, extra permissions are differences", () => {
        const [writer] = renderRoles();
        const actual = { reserved: false, hidden: false, static: false, ...JSON.parse(JSON.stringify(writer.body)) };
        actual.cluster_permissions = [...actual.cluster_permissions].reverse();
        assert.deepEqual(roleDifferences(writer.body, actual), []);
        actual.index_permissions[0].allowed_actions.push("indices:data/read/search");
        assert.deepEqual(roleDifferences(writer.body, actual), ["index_permissions[0].allowed_actions"]);
        const mapping = { description: "d", backend_roles: ["a", "b"], hosts: [], users: [] };
        assert.deepEqual(roleMappingDifferences(mapping, { ...mapping, backend_roles: ["b", "a"], reserved: false, and_backend_roles: [] }), []);
        assert.deepEqual(roleMappingDifferences(mapping, { ...mapping, users: ["admin"] }), ["users"]);
    });

    it("differences(): keys only on the server count unless ignored", () => {
        assert.deepEqual(differences({ a: 1 }, { a: 1, b: 2 }), ["b"]);
        assert.deepEqual(differences({ a: 1 }, { a: 1, b: 2 }, new Set(["b"])), []);
        assert.deepEqual(differences([{ a: 1 }], [{ a: 1 }, { a: 2 }]), ["(root).length"]);
    });

    it("splits a change_policy index list into request paths of bounded length, every index exactly once (property)", () => {
        assert.deepEqual(indexListChunks(["logs-a", "logs-b"]), ["logs-a,logs-b"]);
        assert.deepEqual(indexListChunks(["a*b"]), ["a%2Ab"], "each name is one encoded path segment");
        assert.deepEqual(indexListChunks([]), []);
        const name = fc.stringMatching(/^logs-[a-z0-9-]{1,40}-20\d\d\.\d\d\.\d\d$/);
        fc.assert(
            fc.property(fc.uniqueArray(name, { maxLength: 400 }), fc.integer({ min: 60, max: MAX_INDEX_LIST_CHARS }), (names, max) => {
                const chunks = indexListChunks(names, max);
                for (const c of chunks) assert.ok(c.length <= max, `${c.length} > ${max}`);
                assert.deepEqual(chunks.flatMap((c) => c.split(",")), names);
            }),
        );
    });
});
