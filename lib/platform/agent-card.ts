import type { A2AProtocol } from "./workspace";

function protocolFromVersion(version: unknown): A2AProtocol | undefined {
  if (typeof version !== "string") return undefined;
  if (/^0\.3(\.|$)/.test(version)) return "0.3";
  if (/^1(\.|$)/.test(version)) return "1.0";
  return undefined;
}

/**
 * Reads the A2A protocol version from an agent card. A 1.0 card names it in
 * `supportedInterfaces[].protocolVersion` (the top-level field may be
 * absent); a 0.3 card has it at the top.
 */
export function protocolOfAgentCard(card: unknown): A2AProtocol {
  if (!card || typeof card !== "object") return "unknown";
  const record = card as Record<string, unknown>;
  const interfaces = record.supportedInterfaces;
  if (Array.isArray(interfaces)) {
    for (const entry of interfaces) {
      const found = protocolFromVersion((entry as Record<string, unknown> | null)?.protocolVersion);
      if (found) return found;
    }
  }
  return protocolFromVersion(record.protocolVersion) ?? "unknown";
}
