// IPv4 addresses and CIDR blocks: parsing (canonical dotted-quad, no leading zeros), ranges and
// overlap. One implementation for every component and config section.

const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4_RE = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const CIDR_RE = new RegExp(`^${OCTET}(\\.${OCTET}){3}/(3[0-2]|[12]?\\d)$`);

/** A parsed IPv4 CIDR block: the network address as an unsigned 32-bit number and the prefix length. */
export interface Cidr {
    base: number;
    prefix: number;
}

/** The IPv4 address as an unsigned 32-bit number, or undefined when it is not dotted-quad decimal (no leading zeros). */
export function parseIpv4(text: string): number | undefined {
    if (typeof text !== "string" || !IPV4_RE.test(text)) return undefined;
    return text.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function formatIpv4(n: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

export function isIpv4(text: unknown): boolean {
    return typeof text === "string" && parseIpv4(text) !== undefined;
}

/** Number of addresses in a block of this prefix length. */
export function blockSize(prefix: number): number {
    return 2 ** (32 - prefix);
}

/**
 * Parses `a.b.c.d/n`. Returns undefined when malformed; `hostBitsSet` when the address is not the
 * network address of the block (10.0.0.1/16), with the network address it should have been.
 */
export function parseCidr(text: unknown): { cidr?: Cidr; hostBitsSet?: string } | undefined {
    if (typeof text !== "string" || !CIDR_RE.test(text)) return undefined;
    const [ip, len] = text.split("/");
    const addr = parseIpv4(ip)!;
    const prefix = Number(len);
    const size = blockSize(prefix);
    const base = Math.floor(addr / size) * size;
    if (base !== addr) return { hostBitsSet: formatCidr({ base, prefix }) };
    return { cidr: { base, prefix } };
}

/** The parsed block when `text` is a canonical IPv4 CIDR block, else undefined. */
export function cidrOf(text: unknown): Cidr | undefined {
    return parseCidr(text)?.cidr;
}

export function formatCidr(c: Cidr): string {
    return `${formatIpv4(c.base)}/${c.prefix}`;
}

/** First and last address of the block. */
export function cidrRange(c: Cidr): [number, number] {
    return [c.base, c.base + blockSize(c.prefix) - 1];
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    const [a0, a1] = cidrRange(a);
    const [b0, b1] = cidrRange(b);
    return a0 <= b1 && b0 <= a1;
}

/** `10-20-0-0-16` for 10.20.0.0/16: a stable fragment for logical resource names. */
export function cidrSlug(text: string): string {
    return text.replace(/[./]/g, "-");
}

// ---------------------------------------------------------------------------------------------
// Public (globally reachable) addresses

/**
 * IPv4 blocks that are not globally reachable (IANA IPv4 Special-Purpose Address Registry,
 * RFC 6890 and its updates): "this network", private use (RFC 1918), shared address space
 * (RFC 6598, carrier-grade NAT), loopback, link-local, IETF protocol assignments, the three
 * documentation ranges (TEST-NET-1/2/3, RFC 5737), benchmarking (RFC 2544), multicast and the
 * reserved 240/4 (with the limited broadcast address). Pairwise disjoint.
 */
export const NON_PUBLIC_IPV4_BLOCKS: readonly string[] = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
];

/** The documentation ranges (RFC 5737): addresses for examples and placeholders, never routed. */
export const DOCUMENTATION_IPV4_BLOCKS: readonly string[] = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"];

/** Sorted, merged [first, last] ranges covering exactly the union of the blocks. */
export function mergeRanges(blocks: readonly Cidr[]): Array<[number, number]> {
    const ranges = blocks.map(cidrRange).sort((a, b) => a[0] - b[0]);
    const out: Array<[number, number]> = [];
    for (const [first, last] of ranges) {
        const prev = out[out.length - 1];
        if (prev && first <= prev[1] + 1) prev[1] = Math.max(prev[1], last);
        else out.push([first, last]);
    }
    return out;
}

const NON_PUBLIC = NON_PUBLIC_IPV4_BLOCKS.map((b) => cidrOf(b)!);
const DOCUMENTATION = DOCUMENTATION_IPV4_BLOCKS.map((b) => cidrOf(b)!);

function overlapCount(ranges: Array<[number, number]>, blocks: readonly Cidr[]): number {
    let n = 0;
    for (const [a0, a1] of ranges) {
        for (const b of blocks) {
            const [b0, b1] = cidrRange(b);
            const lo = Math.max(a0, b0);
            const hi = Math.min(a1, b1);
            if (lo <= hi) n += hi - lo + 1;
        }
    }
    return n;
}

/**
 * How many public (globally reachable) IPv4 addresses the union of the CIDR blocks covers:
 * overlapping blocks count once, and the blocks of NON_PUBLIC_IPV4_BLOCKS not at all. So
 * `0.0.0.0/0` and `["0.0.0.0/1", "128.0.0.0/1"]` both cover every public address, and a list of
 * RFC 1918 blocks covers none. Malformed entries are ignored (their own format check reports them).
 */
export function publicAddressCount(cidrs: readonly unknown[]): number {
    const merged = mergeRanges(cidrs.map(cidrOf).filter((c): c is Cidr => c !== undefined));
    const total = merged.reduce((n, [first, last]) => n + (last - first + 1), 0);
    return total - overlapCount(merged, NON_PUBLIC);
}

/** Every public IPv4 address: what `0.0.0.0/0` covers (3,702,258,688). */
export const PUBLIC_IPV4_ADDRESS_COUNT = publicAddressCount(["0.0.0.0/0"]);

/** Whether the block lies entirely inside a documentation range (a placeholder such as 203.0.113.10/32). */
export function isDocumentationCidr(text: unknown): boolean {
    const c = cidrOf(text);
    if (!c) return false;
    const [first, last] = cidrRange(c);
    return DOCUMENTATION.some((d) => {
        const [d0, d1] = cidrRange(d);
        return d0 <= first && last <= d1;
    });
}

/** Whether the block contains any address that is not globally reachable (EKS refuses such blocks for its public endpoint). */
export function coversNonPublicAddresses(text: unknown): boolean {
    const c = cidrOf(text);
    return c !== undefined && NON_PUBLIC.some((n) => cidrsOverlap(c, n));
}

// ---------------------------------------------------------------------------------------------
// The two guards every CIDR list goes through: internal lists hold only private ranges, public
// lists cover a bounded number of public addresses. Both reason about address ranges.

/**
 * The ranges an internal network may use: private use (RFC 1918) and shared address space
 * (RFC 6598). A VPC, its peers, the workload networks behind a Transit Gateway and the on-premises
 * networks routed to them are numbered from these; a block outside them is either someone else's
 * public addresses (8.8.0.0/18) or a special-purpose range, and in a list of internal sources it
 * admits the internet.
 */
export const INTERNAL_IPV4_BLOCKS: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];

const INTERNAL = INTERNAL_IPV4_BLOCKS.map((b) => cidrOf(b)!);

/** Whether the block lies entirely inside one of INTERNAL_IPV4_BLOCKS (so 0.0.0.0/0 and 10.0.0.0/7 do not). */
export function isInternalCidr(text: unknown): boolean {
    const c = cidrOf(text);
    if (!c) return false;
    const [first, last] = cidrRange(c);
    return INTERNAL.some((i) => {
        const [i0, i1] = cidrRange(i);
        return i0 <= first && last <= i1;
    });
}

/**
 * The most public IPv4 addresses a list of allowed public sources may cover together unless its
 * component's explicit opt-out is set: a /16 worth (65,536). Office egress, VPN concentrators and
 * self-hosted runners are single addresses or small blocks; an organisation's whole registered
 * range is at most a few /16s. Wider lists (a cloud provider's ranges, a hosted CI service's,
 * 0.0.0.0/1 + 128.0.0.0/1) admit other organisations' machines: for a control plane, that is the
 * internet.
 */
export const MAX_PUBLIC_SOURCE_ADDRESSES = 65_536;

/**
 * Undefined when the union of the blocks covers at most `max` public addresses; otherwise how much
 * it covers ("every public IPv4 address", "131072 public IPv4 addresses"), for the message.
 */
export function publicCoverageExcess(cidrs: readonly unknown[], max: number = MAX_PUBLIC_SOURCE_ADDRESSES): string | undefined {
    const covered = publicAddressCount(cidrs);
    if (covered <= max) return undefined;
    return covered === PUBLIC_IPV4_ADDRESS_COUNT ? "every public IPv4 address" : `${covered} public IPv4 addresses`;
}
