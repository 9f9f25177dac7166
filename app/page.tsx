import { FleetPage } from "@/components/shell/FleetPage";

export default function Home() {
  return <FleetPage />;
}
