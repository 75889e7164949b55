import Link from "next/link";
import { EmptyState } from "@/components/card";

export default function AccountNotFound() {
  return (
    <EmptyState title="Account not found">
      <p>
        There is no account at this address. It may have been removed, or the link is mistyped.{" "}
        <Link href="/accounts" className="text-blue-700 underline">
          Back to the call lists
        </Link>
        .
      </p>
    </EmptyState>
  );
}
