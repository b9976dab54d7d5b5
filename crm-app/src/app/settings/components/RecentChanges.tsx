import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import type { SettingsView } from '@touchpoints/contracts';
import { formatDateTime } from './format.js';

interface RecentChangesProps {
  changes: SettingsView['recentChanges'];
  timeZone?: string;
}

/** Who changed what and when, newest first, so admins can see each other's work. */
export function RecentChanges({ changes, timeZone }: RecentChangesProps) {
  if (changes.length === 0) return <Text>No changes yet.</Text>;
  return (
    <Table bordered={false}>
      <TableHead>
        <TableRow>
          <TableHeader>When</TableHeader>
          <TableHeader>Who</TableHeader>
          <TableHeader>What</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {changes.map((change, index) => (
          <TableRow key={`${change.changedAt}-${index}`}>
            <TableCell>
              <Text>{formatDateTime(change.changedAt, timeZone)}</Text>
            </TableCell>
            <TableCell>
              <Text>{change.changedBy}</Text>
            </TableCell>
            <TableCell>
              <Text>{change.change}</Text>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
