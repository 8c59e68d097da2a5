/** Generated firewall, proxy and VPN messages: host:port endpoints and key=value fields. @module */
import type { CorpusFamily } from "./corpus_template.ts";

/** iptables, HAProxy, Squid-like proxy, OpenVPN and WireGuard-style lines. */
export const firewallVpn: CorpusFamily = {
  name: "FirewallVpn",
  describes: "iptables / HAProxy / proxy / OpenVPN (host:port, key=value)",
  templates: [
    `[UFW BLOCK] IN=eth0 OUT= MAC={hex} SRC={ip} DST={ip} LEN={num} TOS=0x00 PREC=0x00 TTL={num} ID={num} PROTO=TCP SPT={port} DPT={port} WINDOW={num} RES=0x00 SYN URGP=0`,
    `[UFW ALLOW] IN=eth0 OUT= MAC={hex} SRC={ip} DST={ip} LEN={num} TOS=0x00 PREC=0x00 TTL={num} ID={num} PROTO=UDP SPT={port} DPT=53 LEN={num}`,
    `{ip}:{port} [{hapts}] https-in~ {word}_backend/{word}{num} {num}/{num}/{num}/{num}/{num} {status} {num} - - ---- {num}/{num}/{num}/{num}/0 0/0 "{method} {path} HTTP/1.1"`,
    `Server {word}_backend/{word}{num} is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: {dur}. {num} active and 0 backup servers left.`,
    `Server {word}_backend/{word}{num} is UP, reason: Layer7 check passed, code: 200, check duration: {dur}. {num} active and 0 backup servers online.`,
    `{num}.{num} {num} {ip} TCP_MISS/{status} {num} CONNECT {host}:443 - HIER_DIRECT/{ip} -`,
    `{num}.{num} {num} {ip} TCP_DENIED/403 {num} GET http://{host}{path} - HIER_NONE/- text/html`,
    `{user}/{ip}:{port} MULTI_sva: pool returned IPv4={ip}, IPv6=(Not enabled)`,
    `{user}/{ip}:{port} SENT CONTROL [{user}]: 'PUSH_REPLY,route {ip} 255.255.255.0,ping 10,ping-restart 120' (status=1)`,
    `{ip}:{port} TLS: Initial packet from [AF_INET]{ip}:{port}, sid={hex} {hex}`,
    `{ip}:{port} VERIFY OK: depth=0, CN={user}`,
    `{user}/{ip}:{port} Connection reset, restarting [0]`,
    `action=drop src={ip} dst={ip} sport={port} dport={port} proto=tcp rule={num} policy=default-deny`,
    `action=accept src={ip} dst={ip} sport={port} dport=443 proto=tcp rule={num} policy=web-in bytes={num}`,
  ],
};
