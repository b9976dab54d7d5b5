import type { SortedTableHeaderProps, TableCellProps, TableElementProps, TableHeaderProps, TableProps } from '@hubspot/ui-extensions';
import { classNames } from './spacing.js';

const widthOf = (width: TableCellProps['width']) => (typeof width === 'number' ? { width } : width === 'min' ? { width: '1%' } : {});

export function Table(props: TableProps) {
  const { bordered = true, flush, density = 'default', testId, children } = props;
  return (
    <div className={classNames('hs-table-wrap', flush && 'hs-table-wrap--flush')} data-testid={testId}>
      <table className={classNames('hs-table', bordered && 'hs-table--bordered', `hs-table--${density}`)}>{children}</table>
      {props.paginated && (
        <nav className="hs-pagination" aria-label="Table pages">
          <button type="button" className="hs-button hs-button--transparent hs-button--sm" disabled={(props.page ?? 1) <= 1} onClick={() => props.onPageChange((props.page ?? 1) - 1)}>
            Prev
          </button>
          {Array.from({ length: props.pageCount }, (_, index) => index + 1).map((page) => (
            <button
              key={page}
              type="button"
              className={classNames('hs-button hs-button--transparent hs-button--sm', page === (props.page ?? 1) && 'hs-pagination__current')}
              aria-current={page === (props.page ?? 1) ? 'page' : undefined}
              onClick={() => props.onPageChange(page)}
            >
              {page}
            </button>
          ))}
          <button type="button" className="hs-button hs-button--transparent hs-button--sm" disabled={(props.page ?? 1) >= props.pageCount} onClick={() => props.onPageChange((props.page ?? 1) + 1)}>
            Next
          </button>
        </nav>
      )}
    </div>
  );
}

export const TableHead = ({ testId, children }: TableElementProps) => <thead data-testid={testId}>{children}</thead>;
export const TableBody = ({ testId, children }: TableElementProps) => <tbody data-testid={testId}>{children}</tbody>;
export const TableRow = ({ testId, children }: TableElementProps) => <tr data-testid={testId}>{children}</tr>;

const isSorted = (props: TableHeaderProps): props is SortedTableHeaderProps => props.sortDirection !== undefined && props.sortDirection !== 'never';

export function TableHeader(props: TableHeaderProps) {
  const { align = 'left', width, testId, children } = props;
  const sorted = isSorted(props) ? props : undefined;
  return (
    <th scope="col" className={`hs-align-${align}`} style={widthOf(width)} aria-sort={sorted?.sortDirection} data-testid={testId}>
      {sorted ? (
        <button
          type="button"
          className="hs-link-button"
          disabled={sorted.disabled}
          onClick={() => sorted.onSortChange(sorted.sortDirection === 'ascending' ? 'descending' : 'ascending')}
        >
          {children}
        </button>
      ) : (
        children
      )}
    </th>
  );
}

export function TableCell({ align = 'left', width, colSpan, testId, children }: TableCellProps) {
  return (
    <td className={`hs-align-${align}`} style={widthOf(width)} colSpan={colSpan} data-testid={testId}>
      {children}
    </td>
  );
}
