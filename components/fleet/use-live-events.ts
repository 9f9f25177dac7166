"use client";

import { useEffect } from "react";
import { connectLiveEvents } from "@/lib/live/event-stream";
import { EVENTS_PATH } from "@/lib/platform/paths";
import { systemClock } from "@/lib/time/clock";
import { useFleetStoreApi } from "./FleetStoreProvider";
import { noteEventReceived } from "./platform-client";
import { openStreamSource } from "./stream-source";

/** Keeps the fleet store fed from the platform's live event stream while mounted. */
export function useLiveEvents() {
  const store = useFleetStoreApi();
  useEffect(() => {
    const connection = connectLiveEvents({
      url: EVENTS_PATH,
      clock: systemClock,
      createEventSource: openStreamSource,
      onEvent: (event) => store.getState().applyEvent(event),
      onMessage: noteEventReceived,
      onState: (state) => store.getState().setConnection(state === "open" ? "live" : state === "down" ? "polling" : "connecting"),
    });
    return () => connection.close();
  }, [store]);
}
