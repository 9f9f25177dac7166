import { FleetPage } from "@/components/fleet/FleetPage";

export default function Home() {
  return <FleetPage />;
}
