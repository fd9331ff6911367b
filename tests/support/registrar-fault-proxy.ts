// An HTTP proxy on 127.0.0.1 in front of moto that answers chosen requests with Route 53 errors
// (Throttling, PriorRequestNotComplete, 5xx) in Route 53's XML error format, so the SDK parses
// them as it would from AWS. Everything else is forwarded unchanged.
import * as http from "http";
import * as net from "net";

export interface ProxyFault {
    /** Which requests (0-based index among all proxied requests, and the URL) to fail. */
    when: (index: number, url: string) => boolean;
    status: number;
    code: string;
    /** How many matching requests to fail (default: unlimited). */
    times?: number;
}

export interface FaultProxy {
    endpoint: string;
    faults: ProxyFault[];
    /** URLs of all requests seen, with the status answered. */
    seen: { url: string; status: number; injected: boolean }[];
    close(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
    const target = new URL(upstream);
    const seen: FaultProxy["seen"] = [];
    const faults: ProxyFault[] = [];
    const left = new Map<ProxyFault, number>();
    let index = 0;
    const server = http.createServer((req, res) => {
        const i = index++;
        const url = req.url ?? "/";
        const fault = faults.find((f) => f.when(i, url) && (left.get(f) ?? f.times ?? Infinity) > 0);
        if (fault) {
            left.set(fault, (left.get(fault) ?? fault.times ?? Infinity) - 1);
            req.resume();
            const body = `<?xml version="1.0"?>\n<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>${fault.status >= 500 ? "Receiver" : "Sender"}</Type><Code>${fault.code}</Code><Message>injected ${fault.code}</Message></Error><RequestId>fault-${i}</RequestId></ErrorResponse>`;
            res.writeHead(fault.status, { "content-type": "text/xml", "x-amzn-requestid": `fault-${i}` });
            res.end(body);
            seen.push({ url, status: fault.status, injected: true });
            return;
        }
        const upstreamReq = http.request(
            { host: target.hostname, port: target.port, method: req.method, path: url, headers: { ...req.headers, host: target.host } },
            (up) => {
                res.writeHead(up.statusCode ?? 502, up.headers);
                up.pipe(res);
                seen.push({ url, status: up.statusCode ?? 502, injected: false });
            },
        );
        upstreamReq.on("error", (err) => {
            res.writeHead(502);
            res.end(String(err));
        });
        req.pipe(upstreamReq);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.address() as net.AddressInfo).port;
    return { endpoint: `http://127.0.0.1:${port}`, faults, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}
