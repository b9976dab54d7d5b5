/**
 * What `@hubspot/ui-extensions` is in the local host's bundles: the components, hooks and
 * functions the extensions use, each following HubSpot's documented props (the package's own
 * types). A name the extensions import that is not here fails the bundle ("No matching export").
 */
export { hubspot, logger, useExtensionActions } from './runtime.js';
export { Accordion, Flex, Heading, List, Text, Tile } from './components/layout.js';
export { Alert, EmptyState, ErrorState, LoadingSpinner, StatusTag, Tag } from './components/feedback.js';
export { Button, ButtonRow, LoadingButton, Modal, ModalBody, ModalFooter } from './components/buttons.js';
export { Checkbox, DateInput, Form, Input, NumberInput, Select, TextArea, Toggle } from './components/inputs.js';
export { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from './components/table.js';
export { Tab, Tabs } from './components/tabs.js';
export { BarChart, LineChart } from './components/charts.js';
