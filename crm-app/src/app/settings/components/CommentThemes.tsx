import { Flex, List, Tag, Text } from '@hubspot/ui-extensions';
import { type CommentTheme, themeMinimumComments, type TouchpointReport, type TrafficLight, trafficLights } from '@touchpoints/contracts';
import { countOf, languageNames } from './format.js';

const lightTags: Record<TrafficLight, { label: string; variant: 'error' | 'warning' | 'success' }> = {
  red: { label: 'Red comments', variant: 'error' },
  yellow: { label: 'Yellow comments', variant: 'warning' },
  green: { label: 'Green comments', variant: 'success' },
};

/** One theme: the phrase as customers wrote it, how many used it, and a few of them in their own words. */
function Theme({ theme }: { theme: CommentTheme }) {
  return (
    <Flex direction="column" gap="flush">
      <Text format={{ fontWeight: 'demibold' }}>{`“${theme.label}” · ${countOf(theme.comments, 'comment', 'comments')} · ${languageNames[theme.language]}`}</Text>
      {theme.quotes.length > 0 && (
        <List variant="unordered">
          {theme.quotes.map((quote) => (
            <Text key={quote} variant="microcopy" format={{ italic: true }}>{`“${quote}”`}</Text>
          ))}
        </List>
      )}
    </Flex>
  );
}

/**
 * What a touchpoint's comments are about, light by light: the words and phrases that set each
 * light's comments apart from the others', with their counts and quotes; or why there are none yet.
 */
export function CommentThemes({ touchpoint }: { touchpoint: TouchpointReport }) {
  const { comments, themes } = touchpoint;
  if (comments.red + comments.yellow + comments.green === 0) return null;
  const lights = trafficLights.filter((light) => themes.some((theme) => theme.light === light));
  return (
    <Flex direction="column" gap="sm" testId={`themes-${touchpoint.touchpointId}`}>
      <Text format={{ fontWeight: 'demibold' }}>What customers say</Text>
      {lights.length === 0 && (
        <Text variant="microcopy">
          {`No themes yet: ${comments.red} red, ${comments.yellow} yellow and ${comments.green} green comments. A light shows its themes from ${themeMinimumComments} comments in one language, with as many comments of other lights to compare them with.`}
        </Text>
      )}
      {lights.map((light) => (
        <Flex key={light} direction="column" gap="xs" testId={`themes-${touchpoint.touchpointId}-${light}`}>
          <Flex direction="row" gap="xs" align="center">
            <Tag variant={lightTags[light].variant}>{lightTags[light].label}</Tag>
            <Text variant="microcopy">{`${comments[light]} in all`}</Text>
          </Flex>
          {themes
            .filter((theme) => theme.light === light)
            .map((theme) => (
              <Theme key={`${theme.language}/${theme.label}`} theme={theme} />
            ))}
        </Flex>
      ))}
    </Flex>
  );
}
