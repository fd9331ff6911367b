// Public-address maths of components/common/cidr.ts: how many globally reachable IPv4 addresses a
// list of CIDR blocks covers, on address ranges rather than strings.
import { strict as assert } from "assert";
import fc from "fast-check";
import {
    NON_PUBLIC_IPV4_BLOCKS,
    INTERNAL_IPV4_BLOCKS,
    MAX_PUBLIC_SOURCE_ADDRESSES,
    PUBLIC_IPV4_ADDRESS_COUNT,
    cidrOf,
    cidrRange,
    coversNonPublicAddresses,
    formatIpv4,
    isDocumentationCidr,
    isInternalCidr,
    mergeRanges,
    publicAddressCount,
    publicCoverageExcess,
} from "../../components/common/cidr";

describe("common/cidr: public addresses", () => {
    it("counts every public IPv4 address for 0.0.0.0/0 and for any union of blocks that covers as much", () => {
        assert.equal(PUBLIC_IPV4_ADDRESS_COUNT, 3_702_258_688);
        assert.equal(publicAddressCount(["0.0.0.0/1", "128.0.0.0/1"]), PUBLIC_IPV4_ADDRESS_COUNT);
        assert.equal(publicAddressCount(["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2", "10.0.0.0/8"]), PUBLIC_IPV4_ADDRESS_COUNT);
        assert.equal(publicAddressCount(["0.0.0.0/0", "0.0.0.0/0"]), PUBLIC_IPV4_ADDRESS_COUNT);
    });

    it("counts overlapping blocks once and adjacent ones together", () => {
        assert.equal(publicAddressCount(["8.8.8.0/24", "8.8.8.0/25", "8.8.8.128/32"]), 256);
        assert.equal(publicAddressCount(["8.8.8.0/25", "8.8.8.128/25"]), 256);
        assert.equal(publicAddressCount(["1.0.0.0/16"]), 65_536);
        assert.equal(publicAddressCount(["198.51.100.7/32", "1.2.3.4/32"]), 1);
    });

    it("counts no address of a block that is not globally reachable (RFC 1918, RFC 6598, loopback, link-local, documentation, ...)", () => {
        for (const block of NON_PUBLIC_IPV4_BLOCKS) assert.equal(publicAddressCount([block]), 0, block);
        assert.equal(publicAddressCount(["172.0.0.0/8"]), 16_777_216 - 1_048_576, "172.16.0.0/12 is private");
        assert.equal(publicAddressCount(["100.0.0.0/8"]), 16_777_216 - 4_194_304, "100.64.0.0/10 is shared address space");
    });

    it("ignores malformed entries (their own format check reports them)", () => {
        assert.equal(publicAddressCount(["nope", 7, "10.0.0.1/8", "8.8.8.8/32"]), 1);
        assert.equal(publicAddressCount([]), 0);
    });

    it("lists pairwise disjoint non-public blocks", () => {
        const blocks = NON_PUBLIC_IPV4_BLOCKS.map((b) => cidrOf(b)!);
        const total = blocks.reduce((n, b) => n + (cidrRange(b)[1] - cidrRange(b)[0] + 1), 0);
        const merged = mergeRanges(blocks).reduce((n, [a, b]) => n + (b - a + 1), 0);
        assert.equal(merged, total);
        assert.equal(PUBLIC_IPV4_ADDRESS_COUNT, 2 ** 32 - total);
    });

    it("equals a count address by address for small blocks (property)", () => {
        // Blocks of at most 256 addresses around a few interesting neighbourhoods (private, documentation, public).
        const bases = [parseInt("0a000000", 16), parseInt("cb007100", 16), parseInt("08080800", 16), parseInt("ac100000", 16) - 256, parseInt("c6336400", 16)];
        const block = fc.record({ base: fc.constantFrom(...bases), offset: fc.integer({ min: 0, max: 511 }), prefix: fc.integer({ min: 24, max: 32 }) }).map(({ base, offset, prefix }) => {
            const size = 2 ** (32 - prefix);
            const start = Math.floor((base + offset) / size) * size;
            return `${formatIpv4(start)}/${prefix}`;
        });
        const nonPublic = NON_PUBLIC_IPV4_BLOCKS.map((b) => cidrRange(cidrOf(b)!));
        fc.assert(
            fc.property(fc.array(block, { maxLength: 6 }), (blocks) => {
                const seen = new Set<number>();
                for (const b of blocks) {
                    const [first, last] = cidrRange(cidrOf(b)!);
                    for (let a = first; a <= last; a++) if (!nonPublic.some(([x, y]) => x <= a && a <= y)) seen.add(a);
                }
                assert.equal(publicAddressCount(blocks), seen.size, blocks.join(","));
            }),
        );
    });

    it("recognizes documentation placeholders and blocks with non-public addresses", () => {
        assert.equal(isDocumentationCidr("203.0.113.10/32"), true);
        assert.equal(isDocumentationCidr("198.51.100.0/24"), true);
        assert.equal(isDocumentationCidr("203.0.112.0/23"), false, "wider than the documentation range");
        assert.equal(isDocumentationCidr("8.8.8.8/32"), false);
        assert.equal(coversNonPublicAddresses("10.1.0.0/16"), true);
        assert.equal(coversNonPublicAddresses("0.0.0.0/0"), true);
        assert.equal(coversNonPublicAddresses("8.8.8.0/24"), false);
    });
});

describe("common/cidr: the two guards (internal lists, public lists)", () => {
    it("takes a block as internal only when it lies wholly inside RFC 1918 or RFC 6598 space", () => {
        for (const b of INTERNAL_IPV4_BLOCKS) assert.equal(isInternalCidr(b), true, b);
        for (const b of ["10.90.0.0/18", "172.31.255.0/24", "192.168.1.1/32", "100.127.0.0/16"]) assert.equal(isInternalCidr(b), true, b);
        for (const b of ["0.0.0.0/0", "0.0.0.0/1", "10.0.0.0/7", "172.0.0.0/8", "8.8.0.0/18", "100.0.0.0/9", "127.0.0.0/8", "169.254.0.0/16", "203.0.113.0/24", "10.0.0.1/8", "nope"]) {
            assert.equal(isInternalCidr(b), false, b);
        }
    });

    it("an internal block covers no public address (property)", () => {
        const block = fc.record({ base: fc.integer({ min: 0, max: 2 ** 32 - 1 }), prefix: fc.integer({ min: 0, max: 32 }) }).map(({ base, prefix }) => {
            const size = 2 ** (32 - prefix);
            return `${formatIpv4(Math.floor(base / size) * size)}/${prefix}`;
        });
        fc.assert(
            fc.property(block, (b) => {
                if (isInternalCidr(b)) assert.equal(publicAddressCount([b]), 0, b);
                if (publicAddressCount([b]) > 0) assert.equal(isInternalCidr(b), false, b);
            }),
        );
    });

    it("measures a public list by the union of its blocks against a /16 by default", () => {
        assert.equal(MAX_PUBLIC_SOURCE_ADDRESSES, 65_536);
        assert.equal(publicCoverageExcess(["0.0.0.0/0"]), "every public IPv4 address");
        assert.equal(publicCoverageExcess(["0.0.0.0/1", "128.0.0.0/1"]), "every public IPv4 address");
        assert.equal(publicCoverageExcess(["8.8.0.0/15"]), "131072 public IPv4 addresses");
        assert.equal(publicCoverageExcess(["8.8.0.0/16", "8.8.0.0/17"]), undefined, "overlaps count once");
        assert.equal(publicCoverageExcess(["10.0.0.0/8", "8.8.8.8/32"]), undefined, "private blocks are not public addresses");
        assert.equal(publicCoverageExcess(["8.8.8.0/24"], 255), "256 public IPv4 addresses");
    });
});
