import { EmptyState, PageHeader } from "./card";

/** The frame of an area that the next releases fill; says plainly what will be here. */
export function ComingSoon({ title, what }: { title: string; what: string }) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState title={`${title} is not available yet`}>{what}</EmptyState>
    </>
  );
}
