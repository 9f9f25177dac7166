import type { Scenario } from "../sim/scenario";
import { defaultFleet } from "./default";

/** The default fleet behind a platform whose datastore is down until `setPlatformDown(false)`. */
export const platformDownScenario: Scenario = {
  name: "platform-down",
  description: "GET /workspaces answers 503 platform_unavailable until the platform is set up again.",
  platformDown: true,
  workspaces: defaultFleet,
};

/** The default fleet with no event stream: only polling shows its (chatty) changes. */
export const noLiveEventsScenario: Scenario = {
  name: "no-live-events",
  description: "The event stream answers 503; rows still change over time, so polling shows it.",
  eventStream: false,
  workspaces: defaultFleet,
};

export const emptyScenario: Scenario = {
  name: "empty",
  description: "No workspaces at all.",
  workspaces: [],
};
