/** The <option>s of a book select: no book, then every account manager in the data. */
export function BookOptions({ books, current }: { books: readonly string[]; current?: string | null }) {
  const all = current && !books.includes(current) ? [current, ...books] : books;
  return (
    <>
      <option value="">No book</option>
      {all.map((b) => (
        <option key={b} value={b}>
          {b}
        </option>
      ))}
    </>
  );
}
