"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { z } from "zod";
import { FleetStoreProvider } from "@/components/fleet/FleetStoreProvider";
import { MockPlatformGate } from "@/components/mock/MockPlatformGate";
import { StopAllProvider } from "@/components/stop-all/StopAllProvider";

// zod probes `new Function` once to decide on its JIT; under our CSP (no
// 'unsafe-eval') that probe logs a violation. Parsing works the same without it.
z.config({ jitless: true });

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 0 } },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  return (
    <MockPlatformGate>
      <QueryClientProvider client={queryClient}>
        <FleetStoreProvider>
          <StopAllProvider>{children}</StopAllProvider>
        </FleetStoreProvider>
      </QueryClientProvider>
    </MockPlatformGate>
  );
}
