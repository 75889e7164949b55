import Link from "next/link";
import { EmptyState } from "@/components/card";

export default function NotFound() {
  return (
    <EmptyState title="Page not found">
      <p>
        There is nothing at this address. <Link href="/" className="text-blue-700 underline">Back to the overview</Link>.
      </p>
    </EmptyState>
  );
}
