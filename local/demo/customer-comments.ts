import { defaultLightThresholds, trafficLight, type TrafficLight } from '@touchpoints/contracts';

/**
 * What the generated customers write with their answers, in Danish like their invitations: each
 * touchpoint's red answers carry its known problem (the seed's slow offer, the silent delivery
 * wait), green answers praise, yellow ones are lukewarm, and everyone adds a little of the same
 * small talk, so the report's themes have something real to find and something to ignore.
 */
const planted: Record<string, Partial<Record<TrafficLight, readonly string[]>>> = {
  offer: {
    red: [
      'Tilbuddet kom for sent.',
      'Vi ventede en uge på tilbuddet, alt for sent.',
      'Ingen ringede, og tilbuddet kom for sent.',
      'For sent tilbud, vi var ved at gå et andet sted hen.',
      'Prisen fik vi først efter ti dage. Alt for sent.',
      'Tilbuddet kom for sent, og ingen ringede tilbage da vi spurgte.',
    ],
  },
  delivery: {
    red: [
      'Lang ventetid på bilen.',
      'Ingen ringede om leveringen.',
      'Ventetiden var lang og ingen fortalte noget.',
      'Bilen blev forsinket, og ingen ringede.',
      'Alt for lang ventetid på leveringen.',
    ],
  },
};
const praise = ['God service.', 'Hyggelig sælger, god service.', 'Rigtig god og venlig betjening.', 'Hyggelig sælger der havde god tid.', 'Sælgeren var hjælpsom og svarede hurtigt.'];
const lukewarm = ['Det var okay.', 'Helt fint, men lidt rodet.', 'Udmærket, intet særligt.'];
const smallTalk = ['Bilen er flot.', 'Vi kom om lørdagen.', 'Min kone var med.', 'Kaffen var god.', ''];

/** Half the answers get a comment; `random` is the generator's own, so the scores stay as they were. */
export function demoComment(touchpointId: string, score: number, random: () => number): { comment?: string } {
  if (random() < 0.5) return {};
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)]!;
  const light = trafficLight(score, defaultLightThresholds);
  const said = planted[touchpointId]?.[light] ?? (light === 'green' ? praise : light === 'yellow' ? lukewarm : ['Det kunne have været bedre.', 'Ikke helt som forventet.']);
  return { comment: `${pick(said)} ${pick(smallTalk)}`.trim() };
}
