import { Alert, Button, List, Text } from '@hubspot/ui-extensions';

/** The outcome of the last action on the list, shown above it until the next one. */
export type Notice =
  | { kind: 'done'; title: string; text?: string }
  | { kind: 'refused'; title: string; problems: readonly string[] }
  | { kind: 'conflict'; text: string };

interface NoticeAlertProps {
  notice: Notice | null;
  onReload: () => void;
}

export function NoticeAlert({ notice, onReload }: NoticeAlertProps) {
  if (!notice) return null;
  switch (notice.kind) {
    case 'done':
      return (
        <Alert variant="success" title={notice.title}>
          {notice.text && <Text>{notice.text}</Text>}
        </Alert>
      );
    case 'refused':
      return (
        <Alert variant="danger" title={notice.title}>
          <List>
            {notice.problems.map((problem) => (
              <Text key={problem}>{problem}</Text>
            ))}
          </List>
        </Alert>
      );
    case 'conflict':
      return (
        <Alert variant="warning" title="Not saved">
          <Text>{notice.text}</Text>
          <Button onClick={onReload}>Reload</Button>
        </Alert>
      );
  }
}
