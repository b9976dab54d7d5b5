import { Checkbox, Flex, Heading } from '@hubspot/ui-extensions';
import type { ClosedLoop } from '@touchpoints/contracts';

interface ClosedLoopFieldsProps {
  closedLoop: ClosedLoop;
  onChange: (closedLoop: ClosedLoop) => void;
}

/** What happens after an unhappy answer: who hears about it, and whether the customer is told so. */
export function ClosedLoopFields({ closedLoop, onChange }: ClosedLoopFieldsProps) {
  return (
    <Flex direction="column" gap="xs">
      <Heading>After an unhappy answer</Heading>
      <Checkbox
        name="closedLoop.taskOnYellow"
        checked={closedLoop.taskOnYellow}
        onChange={(taskOnYellow) => onChange({ ...closedLoop, taskOnYellow })}
      >
        Create a task for the owner after a yellow answer too (a red one always does)
      </Checkbox>
      <Checkbox
        name="closedLoop.emailOwnerOnRed"
        checked={closedLoop.emailOwnerOnRed}
        onChange={(emailOwnerOnRed) => onChange({ ...closedLoop, emailOwnerOnRed })}
      >
        Email the deal owner about a red answer
      </Checkbox>
      <Checkbox
        name="closedLoop.replyToUnhappyCustomer"
        checked={closedLoop.replyToUnhappyCustomer}
        onChange={(replyToUnhappyCustomer) => onChange({ ...closedLoop, replyToUnhappyCustomer })}
      >
        Tell a customer who answered red that the owner will get back to them
      </Checkbox>
      <Checkbox
        name="closedLoop.completeTaskWhenGreen"
        checked={closedLoop.completeTaskWhenGreen}
        onChange={(completeTaskWhenGreen) => onChange({ ...closedLoop, completeTaskWhenGreen })}
      >
        Complete the owner&apos;s task when the customer changes the score to green (it always says so on the task)
      </Checkbox>
    </Flex>
  );
}
