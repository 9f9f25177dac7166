"use client";

import { createPlatformClient } from "@/lib/platform/client";

/** The browser's platform client: same-origin fetch to /api/platform. */
export const browserPlatformClient = createPlatformClient((input, init) => fetch(input, init));
