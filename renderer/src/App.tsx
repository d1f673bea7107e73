import type { ReactNode } from 'react';
import { Board } from './board/Board';
import { BudgetBanner } from './connection/BudgetBanner';
import { StormBanner } from './insight/StormBanner';
import { ConnectionBanner } from './connection/ConnectionBanner';
import { NoHost } from './connection/NoHost';
import { ReconnectBanner } from './connection/ReconnectBanner';
import { ConversationPane } from './conversation/ConversationPane';
import { NewPost } from './newpost/NewPost';
import { Search } from './search/Search';
import { ServicesContext, type Services } from './services';
import { SettingsDialog } from './settings/SettingsDialog';
import { useUi } from './store';
import { AuditDialog } from './team/AuditDialog';
import { LostRaces } from './team/LostRaces';
import { TopBar } from './TopBar';
import { FailedActions } from './workflow/FailedActions';

/** The board, and the conversation pane beside it only while a conversation is open. */
function Workspace({ children }: { children: ReactNode }) {
  const paneOpen = useUi((s) => s.selection.messageKey !== null);
  return <div className={`workspace${paneOpen ? ' workspace--pane' : ''}`}>{children}</div>;
}

/** `services` is null when the page has no way to reach its host (opened without the secret). */
export function App({ services }: { services: Services | null }) {
  if (!services) return <NoHost />;
  return (
    <ServicesContext value={services}>
      <div className="app">
        <TopBar />
        <ConnectionBanner />
        <BudgetBanner />
        <ReconnectBanner />
        <StormBanner />
        <Workspace>
          <Board />
          <ConversationPane />
        </Workspace>
        <SettingsDialog />
        <Search />
        <NewPost />
        <AuditDialog />
        <div className="corner-notices">
          <LostRaces />
          <FailedActions />
        </div>
      </div>
    </ServicesContext>
  );
}
