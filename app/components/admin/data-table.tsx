import { Fragment, type ReactNode, type TableHTMLAttributes } from 'react'

/** A column: its label (a header cell is made for it), a label only screen readers read, or a header cell of its own (a sort link). */
export type Column = string | { label: string; hidden: true } | { cell: ReactNode } | null | false

/**
 * Every organisers' table (issue 17): one shape for the header row (`th scope="col"`), the caption
 * and the class the styles read (`table.data`: numbers in tabular figures; on a phone a wide table
 * scrolls inside its own box, never the page). The rows are the route's own, as `<tr>` children.
 */
export function DataTable({
  columns,
  caption,
  captionHidden = false,
  className,
  children,
  ...rest
}: {
  columns: Column[]
  caption?: string
  /** A caption for screen readers only, where a heading already says it on screen. */
  captionHidden?: boolean
  children: ReactNode
} & Omit<TableHTMLAttributes<HTMLTableElement>, 'children'>) {
  return (
    <table className={className ? `data ${className}` : 'data'} {...rest}>
      {caption ? <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((c, i) =>
            !c ? null : typeof c === 'string' ? (
              <th key={i} scope="col">
                {c}
              </th>
            ) : 'cell' in c ? (
              <Fragment key={i}>{c.cell}</Fragment>
            ) : (
              <th key={i} scope="col">
                <span className="visually-hidden">{c.label}</span>
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  )
}
