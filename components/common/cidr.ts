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
