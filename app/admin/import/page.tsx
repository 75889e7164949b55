import Link from "next/link";
import { connection } from "next/server";
import { CsvImport } from "@/components/admin/csv-import";
import { CodeBlock } from "@/components/admin/copy-button";
import { Card, PageHeader } from "@/components/card";
import { requirePageUser } from "@/lib/auth/server/authz";

export const metadata = { title: "Import" };

export default async function ImportPage() {
  await connection();
  await requirePageUser("/admin/import");
  return (
    <>
      <PageHeader
        title="Import"
        subtitle="Bring in accounts, events and renewal outcomes from a CSV file. Every row is checked first; then all rows are imported, or none — or, if you choose, the valid rows, with the others to download, fix and import."
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          <CsvImport />
        </div>
        <div className="flex min-w-0 flex-col gap-4">
          <Card title="How importing works">
            <ul className="list-disc space-y-2 pl-5 text-sm text-slate-600">
              <li>Accounts are matched by their id: new ids create accounts, known ids update the columns the file has. An empty cell clears a field.</li>
              <li>Events need an existing account (import accounts first) and a timestamp; times without a zone are UTC.</li>
              <li>
                Importing a file again adds only what is new, also after you delete, reorder, fix or split its lines: an event without a message id is known by what its row says
                (account, user, event, time, quantity and the other columns), never by its line.
              </li>
              <li>
                A row repeated exactly in one file is that many events (the second copy is the event&apos;s second occurrence). Keep the copies of a row in one file, or give
                the row a quantity.
              </li>
              <li>
                Rows with problems can be downloaded as a CSV file: each with its line, column and reason, then the row as it was. Fix them there and import that file as it
                is.
              </li>
              <li>
                Event names are matched to your event types by key or label, whatever the case, spaces, underscores or hyphens; a name that nearly matches one waits on{" "}
                <Link href="/admin/weights" className="font-medium text-blue-700 hover:underline">
                  Weights
                </Link>{" "}
                for you to map it. Other new names are registered with weight 0.
              </li>
              <li>
                Renewal outcomes are matched by account and renewal date: a renewal already recorded is corrected when the file says otherwise. They feed{" "}
                <Link href="/insights" className="font-medium text-blue-700 hover:underline">
                  Insights
                </Link>
                , which checks how well the score predicted them.
              </li>
            </ul>
          </Card>
          <Card title="Large files" description="Stream millions of rows from the server's command line, with a progress bar.">
            <CodeBlock label="Shell" code={"npm run import -- --kind events events.csv"} />
          </Card>
        </div>
      </div>
    </>
  );
}
