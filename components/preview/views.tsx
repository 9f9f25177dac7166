import type { ReactNode } from "react";
import { ConfirmationView } from "./ConfirmationView";
import { PanelBox } from "./PanelBox";
import { confirmationRecipe, failedRestartRecipe, finishedRecipe, heldRecipe, runningRecipe, type PreviewRecipe } from "./recipes";
import { RunningView } from "./RunningView";

/** One view of the preview: its world, and what it shows of it (`headingId` names the section). */
export interface PreviewView {
  id: string;
  title: string;
  description: string;
  recipe: PreviewRecipe;
  render(headingId: string): ReactNode;
}

/** The Stop All views, in the order an operator meets them. */
export const PREVIEW_VIEWS: readonly PreviewView[] = [
  {
    id: "confirmation",
    title: "Confirmation",
    description: "What Stop All asks before it starts, for the busy workspaces of the mixed fleet.",
    recipe: confirmationRecipe,
    render: () => <ConfirmationView />,
  },
  {
    id: "running",
    title: "Running, 3 s after the click",
    description: "The mixed fleet 3 s into a Stop All: the countdown, targets waiting for their drain, and a few of them on the canvas.",
    recipe: runningRecipe,
    render: (headingId) => <RunningView labelledBy={headingId} />,
  },
  {
    id: "finished",
    title: "Finished on mixed",
    description: "The mixed fleet after the deadline: one outcome for each kind of platform answer.",
    recipe: finishedRecipe,
    render: (headingId) => <PanelBox labelledBy={headingId} />,
  },
  {
    id: "failed-restart",
    title: "Finished with a failed restart",
    description: "The stuck fleet, where the platform refuses the stuck agent's restart (500): two drained, one to retry.",
    recipe: failedRestartRecipe,
    render: (headingId) => <PanelBox labelledBy={headingId} />,
  },
  {
    id: "held",
    title: "Stopped and held",
    description: "A stop and hold on the hold-faults fleet: each paused once drained, the stuck member with its lead at the deadline, one pause refused (500) to retry, and Resume held.",
    recipe: heldRecipe,
    render: (headingId) => <PanelBox labelledBy={headingId} />,
  },
];
