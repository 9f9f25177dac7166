import type { SimProtocol } from "./behaviour";

/** The internal URL the platform reaches an agent on (shown in rows, never used by the browser). */
export function agentUrl(workspaceId: string): string {
  return `http://${workspaceId.toLowerCase()}.agents.internal:8000`;
}

/**
 * The agent's A2A card as the platform stores it. A 0.3 card names its
 * version at the top; a 1.0 card only inside `supportedInterfaces`.
 */
export function buildAgentCard(protocol: SimProtocol | "none", name: string, url: string): Record<string, unknown> | null {
  if (protocol === "none") return null;
  const common = {
    name,
    description: `Simulated agent ${name}`,
    version: "1.0.0",
    capabilities: { streaming: true, pushNotifications: false },
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain"],
    skills: [],
  };
  if (protocol === "0.3") return { ...common, url, preferredTransport: "JSONRPC", protocolVersion: "0.3.0" };
  return { ...common, supportedInterfaces: [{ url, protocolBinding: "JSONRPC", protocolVersion: "1.0" }] };
}
