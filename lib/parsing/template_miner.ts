/**
 * vigil's online template miner: a Drain-class algorithm (He et al., ICWS 2017) written for vigil.
 *
 * Each message is tokenised on whitespace and masked by {@link maskToken} (numbers, ids, IPs, paths, URLs,
 * key=value values...). A fixed-depth prefix tree routes it by token count, then by its first tokens (tokens
 * holding a variable, and tokens beyond `maxChildren` distinct ones, route to a `<*>` child). In the leaf, the
 * most similar template wins if its similarity reaches `similarityThreshold`; the template then generalises
 * (differing tokens become `<*>`), otherwise a new template is created. There are no per-dataset settings.
 *
 * Departures from Drain, each measured on Loghub (bench/README.md "Parser"): a template's `<*>` matches any
 * token; runs of identical variable tokens are one token (lists of any length share a template); a template
 * whose constants have held for `settledSize` events is not generalised by a message differing in a plain word
 * (`... client WindowsUpdateAgent.` vs `... client SPP.` stay apart) — such a message starts its own template.
 * Templates merge when a position proves variable after they were made: a framed routing token taking three
 * values with the same rest (`(alice) CMD …`, `orders.service: …`), or an early template that a generalised one
 * of its leaf now covers (`user=alice database=orders` made before `user=<*> database=<*>`); the merged ids stay
 * aliases in the registry and {@link TemplateMiner.currentClusterId} maps old cluster ids. A message that fits
 * no template of its leaf is also tried against the `<*>` routes its tokens could take.
 *
 * Readable templates: grouping uses the template tokens above (a generalised position is `<*>`), but the text a
 * person reads keeps what all the cluster's messages share around a variable inside a compound token
 * (`PWD=/var` and `PWD=/srv` read `PWD=<*>`, `alice(uid=<*>)` and `bob(uid=<*>)` read `<*>(uid=<*>)`,
 * `"GET` and `"POST` read `"<*>`; see {@link widenTemplateToken}); parameters are read against that text.
 *
 * Constant values (option, off by default): a `<*>` that kept one value in the first `constantAfter` messages of a
 * template, and since, is shown as that value (`4672 Special privileges …`, `HTTP/1.1`, `(uid=0)`; see
 * {@link ConstantValues}); grouping is the same either way, and the first message with another value turns it
 * back into `<*>`.
 *
 * Ids: `templateId` is a hash of the template text, so every process and every restart that sees the same
 * template agrees. When a template generalises its id changes; the {@link TemplateRegistry} keeps the old id as
 * an alias. {@link TemplateMiner.toJSON} persists templates, tree and registry.
 * @module
 */
import { countEvictions } from "../../engine/eviction_tally.ts";
import {
  framedWildcard,
  maskToken,
  MAX_TOKENS,
  pathWildcard,
  splitKeyValue,
  tokenize,
  WILDCARD,
} from "./token_masks.ts";
import { TemplateRegistry, type TemplateRegistrySnapshot } from "./template_registry.ts";
import { stableHash } from "./stable_hash.ts";
import { ConstantValues, type ConstantValuesSnapshot } from "./constant_values.ts";
import { pushWildcardValues } from "./wildcard_values.ts";

/** Options of {@link TemplateMiner}; the defaults are the tuned, dataset-independent values. */
export interface TemplateMinerOptions {
  /** Minimum share of matching tokens (template variables match anything) to join a template, in (0, 1]. Default 0.8. */
  similarityThreshold?: number;
  /**
   * Events after which a template's constant tokens are settled: a message differing from it in a constant by a
   * plain word (not a masked variable) starts a new template instead of generalising it. Default 50.
   */
  settledSize?: number;
  /** Prefix tokens used for routing below the token-count level. Default 2. */
  prefixTokens?: number;
  /** Most distinct children of a tree node before new tokens route to `<*>`. Default 100. */
  maxChildren?: number;
  /**
   * Most templates kept: beyond it the least recently matched one is forgotten (its statistics too, counted
   * by {@link TemplateMiner.evicted}). Default 100,000 (the shared Loghub samples learn 10–400 each).
   */
  maxClusters?: number;
  /** Most tokens of a message; the rest is one variable token ({@link tokenize}). Default {@link MAX_TOKENS}. */
  maxTokens?: number;
  /**
   * Template text keeps what a generalised compound token's messages share (`PWD=<*>`, not `<*>`; see
   * {@link widenTemplateToken}); grouping is the same either way. Default true (chosen by leave-one-system-out
   * PA, bench/parser_generalisation.ts).
   */
  readableTemplates?: boolean;
  /**
   * Templates merge when a position proves variable after they were made (framed routing tokens or framed
   * variable tokens taking three values with the same rest; early templates a generalised one covers), and a
   * message fitting no template of its leaf is tried on the `<*>` routes. Default true (chosen by
   * leave-one-system-out, bench/parser_generalisation.ts).
   */
  mergeTemplates?: boolean;
  /** JSON members are tokens of their own ({@link tokenize}). Default true (leave-one-system-out, as above). */
  jsonMembers?: boolean;
  /**
   * Template text keeps a shared affix that starts or ends at `. : - / , _ + @ #` when no variable touches that
   * character (`<*>.service:`, `<*>_backend/<*>`, `{Name:<*>,Attempt:<*>,}`; see {@link widenTemplateToken}),
   * and a URL masked whole keeps its scheme (`"http://<*>"`). Default true (leave-one-system-out, as above).
   */
  readableAffixes?: boolean;
  /**
   * A path masked whole whose file name holds an id reads as its directories (one `<*>`) and the file name masked
   * like a token (`/<*>/blk_<*>`, `/<*>/part-<*>.`; see {@link pathWildcard}); grouping is the same either way.
   * Default true (leave-one-system-out, as above).
   */
  readablePaths?: boolean;
  /**
   * Messages after which a `<*>` that took one value in all of a template's messages is shown as that value
   * (template text and parameters; grouping is unchanged; {@link ConstantValues}); 0 = never. Default 0: the
   * Loghub ground truths mask such values (`uid=0`, `HRESULT = 0x800f080d`, `/etc/httpd/conf/workers2.properties`),
   * so leave-one-system-out rejects it (bench/results/parser-generalisation-2026-12-04.md).
   */
  constantAfter?: number;
}

/** The result of mining one message. */
export interface MineResult {
  /** Stable id of the template (after this message). */
  templateId: string;
  /** The template, variables as `<*>`. */
  template: string;
  /** Values standing for the template's `<*>`s, in order. */
  params: string[];
  /** The miner's internal cluster number (stable for the life of the miner and across toJSON/fromJSON). */
  clusterId: number;
  /**
   * `created` a new template, `generalised` an existing one (its id changed, or a `<*>` shown as a constant
   * value so far took another value: something to persist), or `matched`.
   */
  change: "created" | "generalised" | "matched";
  /** The message had more than `maxTokens` tokens: its tail was mined as one variable. */
  tokensCapped: boolean;
}

/** The persisted form of a {@link TemplateMiner}. */
export interface TemplateMinerSnapshot {
  version: 1;
  options: Required<TemplateMinerOptions>;
  /** `display`: the readable template tokens (absent in snapshots written before it existed: the tokens). */
  clusters: {
    id: number;
    tokens: string[];
    display?: string[];
    glued?: boolean[];
    /** Messages matched (absent in older snapshots: 0). */
    size?: number;
    /** {@link ConstantValues} of the cluster (absent in older snapshots: none). */
    constants?: ConstantValuesSnapshot;
  }[];
  registry: TemplateRegistrySnapshot;
}

const SEEN_CAPACITY = 200_000;
/** Distinct values a routing position must show, with the same rest, before it is taken as a variable. */
const MERGE_VALUES = 3;
/** Merged cluster ids remembered by {@link TemplateMiner.currentClusterId}. */
const MAX_MERGED_IDS = 100_000;

interface Cluster {
  id: number;
  /** Events matched so far (a constant held by many events is not generalised by one plain word). */
  size: number;
  tokens: string[];
  /** The readable tokens: `tokens` with the shared affixes of generalised compound tokens kept. */
  display: string[];
  /** The tokens shown (the template text, parameters): `display` with constant values in place of their `<*>`. */
  shown: readonly string[];
  /** The values of `display`'s `<*>`s that have not changed so far. */
  constants: ConstantValues;
  /** Tokens written without a space before them (JSON members, see {@link tokenize}); absent when none. */
  glued?: boolean[];
  template: string;
  templateId: string;
  /** The tree keys leading to its leaf, and the leaf (to remove it when evicted). */
  route: string[];
  leaf: TreeNode;
  evicted: boolean;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: Cluster[];
}

/** A template's text: its tokens joined by a space, none before a glued one. */
function joinTokens(tokens: readonly string[], glued: readonly boolean[] | undefined): string {
  if (glued === undefined) return tokens.join(" ");
  let out = tokens.length > 0 ? tokens[0] : "";
  for (let i = 1; i < tokens.length; i++) out += (glued[i] ? "" : " ") + tokens[i];
  return out;
}

/** Id of a template text: `T` + 16 hex digits of its stable hash. */
export function templateIdOf(template: string): string {
  return "T" + stableHash(template);
}

/** Online template miner (see module doc). */
export class TemplateMiner {
  readonly options: Readonly<Required<TemplateMinerOptions>>;
  readonly registry: TemplateRegistry;
  readonly #root = new Map<number, TreeNode>();
  /** Clusters by id, least recently matched first (re-inserted on every match). */
  readonly #clusters = new Map<number, Cluster>();
  #nextId = 0;
  #evicted = 0;
  /** Merged cluster id → the cluster it joined (bounded by {@link MAX_MERGED_IDS}; not persisted). */
  readonly #mergedInto = new Map<number, number>();
  /**
   * Masked token sequence → its cluster. A sequence that joined a cluster once joins it again unchanged (templates
   * only generalise, so its similarity can only grow): the tree search and generalisation are skipped. Bounded.
   */
  readonly #seen = new Map<string, Cluster>();

  /**
   * @param options tuning (defaults are dataset-independent).
   * @param registry an existing registry to continue (default: a new one).
   * @throws {RangeError} on out-of-range options.
   */
  constructor(options: TemplateMinerOptions = {}, registry = new TemplateRegistry()) {
    const o = {
      similarityThreshold: options.similarityThreshold ?? 0.8,
      settledSize: options.settledSize ?? 50,
      prefixTokens: options.prefixTokens ?? 2,
      maxChildren: options.maxChildren ?? 100,
      maxClusters: options.maxClusters ?? 100_000,
      maxTokens: options.maxTokens ?? MAX_TOKENS,
      readableTemplates: options.readableTemplates ?? true,
      mergeTemplates: options.mergeTemplates ?? true,
      jsonMembers: options.jsonMembers ?? true,
      readableAffixes: options.readableAffixes ?? true,
      readablePaths: options.readablePaths ?? true,
      constantAfter: options.constantAfter ?? 0,
    };
    if (!(o.similarityThreshold > 0 && o.similarityThreshold <= 1)) {
      throw new RangeError(
        `Cannot create TemplateMiner as similarityThreshold must be in (0, 1]: current value is ${o.similarityThreshold}`,
      );
    }
    for (
      const k of [
        "prefixTokens",
        "maxChildren",
        "settledSize",
        "maxClusters",
        "maxTokens",
        "constantAfter",
      ] as const
    ) {
      if (!Number.isInteger(o[k]) || o[k] < (k === "maxChildren" || k === "maxClusters" ? 1 : 0)) {
        throw new RangeError(
          `Cannot create TemplateMiner as ${k} must be a non-negative integer: current value is ${o[k]}`,
        );
      }
    }
    this.options = Object.freeze(o);
    this.registry = registry;
  }

  /** Number of templates (clusters) learned. */
  get size(): number {
    return this.#clusters.size;
  }

  /** Templates forgotten so far because there were more than `maxClusters`. */
  get evicted(): number {
    return this.#evicted;
  }

  /**
   * Mines one message: finds or creates its template, updates the registry.
   * @param content the message (`LogEvent.content`).
   * @param tsMs the event time for the registry's first/last seen and rate. Default now.
   */
  mine(content: string, tsMs: number = Date.now()): MineResult {
    const { tokens, masked, capped, glued } = tokenize(
      content,
      this.options.maxTokens,
      this.options.jsonMembers,
    );
    const key = masked.join("\u0000");
    let cluster = this.#seen.get(key);
    let change: MineResult["change"] = "matched";
    if (cluster === undefined || cluster.evicted) {
      cluster = this.#search(masked);
      if (cluster === undefined && this.options.mergeTemplates) {
        cluster = this.#mergeSiblings(masked) ?? this.#mergeInLeaf(masked);
      }
      if (cluster === undefined) {
        cluster = this.#create(masked, this.#nextId, this.#shown(masked, tokens), glued, tokens);
        change = "created";
      } else if (this.#generalise(cluster, masked, this.#shown(masked, tokens))) {
        change = "generalised";
        if (this.options.mergeTemplates) cluster = this.#absorbFitting(cluster);
      }
      if (this.#seen.size >= SEEN_CAPACITY) {
        countEvictions("miner_seen", this.#seen.size);
        this.#seen.clear();
      }
      this.#seen.set(key, cluster);
    }
    cluster.size++;
    const after = this.options.constantAfter;
    if (after > 0 && cluster.constants.open) {
      const varied = change !== "created" && cluster.constants.observe(cluster.display, tokens);
      const rendered = (varied || cluster.size === after) && this.#render(cluster);
      if ((varied || rendered) && change === "matched") change = "generalised";
    }
    this.#clusters.delete(cluster.id); // most recently matched last
    this.#clusters.set(cluster.id, cluster);
    this.registry.observe(cluster.templateId, cluster.template, tsMs, content);
    return {
      templateId: cluster.templateId,
      template: cluster.template,
      params: this.#params(cluster.shown, tokens),
      clusterId: cluster.id,
      change,
      tokensCapped: capped,
    };
  }

  /** Finds the template a message belongs to without learning from it, or `undefined`. */
  match(content: string): { templateId: string; template: string; params: string[] } | undefined {
    const { tokens, masked } = tokenize(content, this.options.maxTokens, this.options.jsonMembers);
    const c = this.#search(masked);
    if (c === undefined) return undefined;
    return { templateId: c.templateId, template: c.template, params: this.#params(c.shown, tokens) };
  }

  /**
   * The current template of a cluster (see {@link MineResult.clusterId}); a cluster merged into another
   * (see {@link TemplateMiner.currentClusterId}) answers with the one it joined.
   */
  clusterTemplate(clusterId: number): { templateId: string; template: string } | undefined {
    const c = this.#clusters.get(this.currentClusterId(clusterId));
    return c === undefined ? undefined : { templateId: c.templateId, template: c.template };
  }

  /**
   * The cluster a cluster id now stands for: itself, or the cluster it was merged into when its routing token
   * proved variable (the last {@link MAX_MERGED_IDS} merges are remembered).
   */
  currentClusterId(clusterId: number): number {
    let id = clusterId;
    for (let next; (next = this.#mergedInto.get(id)) !== undefined && next !== id;) id = next;
    return id;
  }

  /**
   * The template a message joins: the most similar in its leaf, else in the leaves its routing tokens reach as
   * `<*>` (where merged templates live, see {@link TemplateMiner.#mergeSiblings}); `undefined` when none reaches
   * the similarity threshold.
   */
  #search(masked: string[]): Cluster | undefined {
    const node = this.#leaf(masked, false);
    const found = node === undefined ? undefined : this.#best(node.clusters, masked, -1);
    if (found !== undefined) return found.cluster;
    const root = this.#root.get(masked.length);
    if (root === undefined || !this.options.mergeTemplates) return undefined;
    return this.#searchOffRoute(root, masked, 0, Math.min(this.options.prefixTokens, masked.length), false);
  }

  /**
   * Searches the leaves below `node` reached by taking the `<*>` child where the message's route takes its
   * token's child (at most 2^prefixTokens − 1 leaves; the route's own leaf was searched already).
   */
  #searchOffRoute(
    node: TreeNode,
    masked: string[],
    i: number,
    depth: number,
    off: boolean,
  ): Cluster | undefined {
    if (i === depth) return off ? this.#best(node.clusters, masked, -1)?.cluster : undefined;
    const tok = masked[i].includes(WILDCARD) ? WILDCARD : masked[i];
    const exact = tok === WILDCARD ? undefined : node.children.get(tok);
    if (exact !== undefined) {
      const found = this.#searchOffRoute(exact, masked, i + 1, depth, off);
      if (found !== undefined) return found;
    }
    const wild = node.children.get(WILDCARD);
    return wild === undefined
      ? undefined
      : this.#searchOffRoute(wild, masked, i + 1, depth, off || exact !== undefined);
  }

  /**
   * The most similar cluster of a list for a message (ties: more variables), if its similarity reaches the
   * threshold. Position `free` (when ≥ 0) counts as matching: the merge check's candidate variable.
   */
  #best(
    clusters: readonly Cluster[],
    masked: string[],
    free: number,
    threshold = this.options.similarityThreshold,
  ): { cluster: Cluster; sim: number } | undefined {
    let best: Cluster | undefined;
    let bestSim = -1;
    let bestParams = -1;
    const n = masked.length;
    const settled = this.options.settledSize;
    // mismatches beyond this cannot reach the threshold: stop counting
    const maxMiss = Math.floor(n * (1 - threshold) + 1e-9);
    for (const c of clusters) {
      const t = c.tokens;
      let same = 0;
      let params = 0;
      let miss = 0;
      let rejected = false;
      for (let i = 0; i < n; i++) {
        const tok = t[i];
        if (i === free) {
          same++;
          continue;
        }
        // A template variable matches any token (a position proven variable stays variable); Drain counts it
        // as no match, which keeps logs with several variables (dates, hosts) from ever joining their template.
        if (tok === WILDCARD) {
          params++;
          same++;
        } else if (tok === masked[i]) same++;
        else if (++miss > maxMiss || (c.size >= settled && !masked[i].includes(WILDCARD))) {
          rejected = true; // too different, or a settled constant differing by a plain word
          break;
        }
      }
      if (rejected) continue;
      const sim = n === 0 ? 1 : same / n;
      if (sim > bestSim || (sim === bestSim && params > bestParams)) {
        best = c;
        bestSim = sim;
        bestParams = params;
      }
    }
    return best !== undefined ? { cluster: best, sim: bestSim } : undefined;
  }

  /**
   * A message that joins no template may show that a routing token is a variable: when templates in at least
   * {@link MERGE_VALUES} − 1 sibling leaves (same length, the same other routing tokens, a different plain
   * token at one routing position) each match the message once that position is taken as variable
   * (`(alice) CMD …`, `(bob) CMD …`, `(carol) CMD …`; `orders.service: Deactivated successfully.`), they are
   * merged into the largest of them, which moves to the `<*>` route; their ids become aliases. Two values are
   * not enough (`Accepted password for …` vs `Failed password for …` are different events). Runs only when a
   * template would be created; the siblings scanned are bounded by `maxChildren` per routing position.
   * @returns the merged cluster (not yet generalised by the message), or `undefined`.
   */
  #mergeSiblings(masked: string[]): Cluster | undefined {
    const root = this.#root.get(masked.length);
    if (root === undefined) return undefined;
    const depth = Math.min(this.options.prefixTokens, masked.length);
    for (let p = 0; p < depth; p++) {
      const tok = masked[p];
      // a variable routes to `<*>` already; a plain word shares no framed affix with another token
      if (tok.includes(WILDCARD) || !hasNonAlnum(tok)) continue;
      // the node above position p along the message's route (exact tokens, else `<*>`)
      let parent: TreeNode | undefined = root;
      for (let i = 0; i < p && parent !== undefined; i++) {
        parent = parent.children.get(masked[i].includes(WILDCARD) ? WILDCARD : masked[i]) ??
          parent.children.get(WILDCARD);
      }
      if (parent === undefined || parent.children.size < MERGE_VALUES - 1) continue;
      const members: Cluster[] = [];
      for (const [key, child] of parent.children) {
        // a bare word differing whole is another event's name (`cupsd startup succeeded`); a compound token
        // whose differing part sits among shared text is a value (`(<*>)`, `<*>.service:`)
        if (
          key === WILDCARD || key === tok ||
          (key.charCodeAt(0) !== tok.charCodeAt(0) &&
            key.charCodeAt(key.length - 1) !== tok.charCodeAt(tok.length - 1)) ||
          !sharesFramedAffix(key, tok)
        ) continue;
        let node: TreeNode | undefined = child;
        for (let i = p + 1; i < depth && node !== undefined; i++) {
          node = node.children.get(masked[i].includes(WILDCARD) ? WILDCARD : masked[i]) ??
            node.children.get(WILDCARD);
        }
        if (node === undefined) continue;
        const found = this.#best(node.clusters, masked, p, 1);
        if (found !== undefined) members.push(found.cluster);
      }
      if (members.length < MERGE_VALUES - 1) continue;
      return this.#merge(members);
    }
    return undefined;
  }

  /**
   * After a template generalised, the templates of its leaf that it now covers whole (each token equal, or a
   * `<*>` of it) join it: a message drawn early with two plain-word values (`user=alice database=orders`) made
   * its own template before the position proved variable, and would keep its lines apart for ever. Not taken:
   * a template that drew more lines than the covering one (an established event), or one whose differing token is
   * an upper-case enum word (`from UNASSIGNED to ASSIGNED`: a state name is part of the event).
   * @returns the cluster that holds them all.
   */
  #absorbFitting(cluster: Cluster): Cluster {
    const t = cluster.tokens;
    let members: Cluster[] | undefined;
    for (const c of cluster.leaf.clusters) {
      if (c === cluster || c.size > cluster.size) continue;
      let fits = true;
      for (let i = 0; i < t.length && fits; i++) {
        fits = t[i] === c.tokens[i] || (t[i] === WILDCARD && !isEnumWord(c.tokens[i]));
      }
      if (fits) (members ??= [cluster]).push(c);
    }
    return members === undefined ? cluster : this.#merge(members);
  }

  /**
   * The same evidence inside a leaf: when at least {@link MERGE_VALUES} − 1 of its templates differ from the
   * message at one and the same position only, each by a framed token (`image="registry.auth-<*>…/catalog:<*>"`
   * vs `image="registry.search-<*>…/ledger:<*>"`), that position is a variable and they merge. A short message
   * differing in one of three tokens is below the similarity threshold, so otherwise each value makes a template.
   */
  #mergeInLeaf(masked: string[]): Cluster | undefined {
    const leaf = this.#leaf(masked, false);
    if (leaf === undefined || leaf.clusters.length < MERGE_VALUES - 1) return undefined;
    let byPosition: Map<number, Cluster[]> | undefined;
    for (const c of leaf.clusters) {
      const t = c.tokens;
      let at = -1;
      for (let i = 0; i < t.length; i++) {
        if (t[i] === masked[i] || t[i] === WILDCARD) continue;
        if (at !== -1) {
          at = -2;
          break;
        }
        at = i;
      }
      if (at < 0 || !sharesFramedAffix(t[at], masked[at]) || !differsInVariable(t[at], masked[at])) continue;
      byPosition ??= new Map();
      const list = byPosition.get(at);
      if (list === undefined) byPosition.set(at, [c]);
      else list.push(c);
    }
    if (byPosition === undefined) return undefined;
    for (const list of byPosition.values()) if (list.length >= MERGE_VALUES - 1) return this.#merge(list);
    return undefined;
  }

  /** Merges clusters into the largest (ties: the oldest), re-routed by its generalised tokens. */
  #merge(members: Cluster[]): Cluster {
    let survivor = members[0];
    for (const m of members) {
      if (m.size > survivor.size || (m.size === survivor.size && m.id < survivor.id)) survivor = m;
    }
    this.#unlink(survivor);
    for (const m of members) {
      if (m === survivor) continue;
      survivor.constants.merge(m.constants);
      this.#generalise(survivor, m.tokens, m.display);
      survivor.size += m.size;
      m.evicted = true; // seen-map entries pointing to it are misses from now on
      this.#clusters.delete(m.id);
      this.#unlink(m);
      this.registry.merge(m.templateId, survivor.templateId, survivor.template);
      if (this.#mergedInto.size >= MAX_MERGED_IDS) {
        countEvictions("miner_merged_ids", this.#mergedInto.size);
        this.#mergedInto.clear();
      }
      this.#mergedInto.set(m.id, survivor.id);
    }
    survivor.route = [];
    survivor.leaf = this.#leaf(survivor.tokens, true, survivor.route)!;
    survivor.leaf.clusters.push(survivor);
    this.#render(survivor);
    return survivor;
  }

  /** The leaf for a token sequence; created on the way when `create` (then the keys taken go to `route`). */
  #leaf(masked: string[], create: boolean, route?: string[]): TreeNode | undefined {
    let node: TreeNode | undefined = this.#root.get(masked.length);
    if (node === undefined) {
      if (!create) return undefined;
      node = { children: new Map(), clusters: [] } as TreeNode;
      this.#root.set(masked.length, node);
    }
    const depth = Math.min(this.options.prefixTokens, masked.length);
    for (let i = 0; i < depth; i++) {
      const tok = masked[i].includes(WILDCARD) ? WILDCARD : masked[i];
      let next: TreeNode | undefined = node.children.get(tok);
      if (
        next === undefined && tok !== WILDCARD && (!create || node.children.size >= this.options.maxChildren)
      ) {
        next = node.children.get(WILDCARD);
        if (next === undefined && create) {
          next = { children: new Map(), clusters: [] };
          node.children.set(WILDCARD, next);
        }
      } else if (next === undefined && create) {
        next = { children: new Map(), clusters: [] };
        node.children.set(tok, next);
      }
      if (next === undefined) return undefined;
      route?.push(node.children.get(tok) === next ? tok : WILDCARD);
      node = next;
    }
    return node;
  }

  #create(
    masked: string[],
    id = this.#nextId,
    display = masked,
    glued?: boolean[],
    tokens: readonly string[] = display,
  ): Cluster {
    const template = joinTokens(display, glued);
    const route: string[] = [];
    const leaf = this.#leaf(masked, true, route)!;
    const cluster: Cluster = {
      id,
      size: 0,
      tokens: masked,
      display,
      shown: display,
      constants: this.options.constantAfter > 0 ? ConstantValues.start(display, tokens) : ConstantValues.none,
      glued,
      template,
      templateId: templateIdOf(template),
      route,
      leaf,
      evicted: false,
    };
    this.#nextId = Math.max(this.#nextId, id + 1);
    this.#clusters.set(id, cluster);
    leaf.clusters.push(cluster);
    if (this.#clusters.size > this.options.maxClusters) this.#evict(this.#clusters.values().next().value!);
    return cluster;
  }

  /** Forgets a cluster: out of its leaf (and empty tree nodes on its route), the registry and the seen map. */
  #evict(cluster: Cluster): void {
    cluster.evicted = true; // seen-map entries pointing to it are misses from now on
    this.#clusters.delete(cluster.id);
    this.#unlink(cluster);
    this.registry.forget(cluster.templateId);
    this.#evicted++;
    countEvictions("miner_clusters");
  }

  /** Takes a cluster out of its leaf, and empty tree nodes off its route. */
  #unlink(cluster: Cluster): void {
    const leaf = cluster.leaf;
    leaf.clusters.splice(leaf.clusters.indexOf(cluster), 1);
    const length = cluster.tokens.length;
    const path: TreeNode[] = [this.#root.get(length)!];
    for (const key of cluster.route) path.push(path[path.length - 1].children.get(key)!);
    for (let d = path.length - 1; d >= 0; d--) {
      const node = path[d];
      if (node.clusters.length > 0 || node.children.size > 0) break;
      if (d === 0) this.#root.delete(length);
      else path[d - 1].children.delete(cluster.route[d - 1]);
    }
  }

  /** Turns differing tokens into `<*>` (readable tokens: widened); returns whether the template changed. */
  #generalise(cluster: Cluster, masked: string[], shown: string[] = masked): boolean {
    const t = cluster.tokens;
    for (let i = 0; i < t.length; i++) {
      if (t[i] !== masked[i] && t[i] !== WILDCARD) {
        if (cluster.tokens === t) cluster.tokens = [...t];
        cluster.tokens[i] = WILDCARD;
      }
    }
    const d = cluster.display;
    for (let i = 0; i < d.length; i++) {
      if (d[i] !== shown[i] && d[i] !== WILDCARD) {
        const w = this.options.readableTemplates && shown[i] !== WILDCARD
          ? widenTemplateToken(d[i], shown[i], this.options.readableAffixes)
          : WILDCARD;
        if (w === d[i]) continue;
        if (cluster.display === d) cluster.display = [...d];
        cluster.display[i] = w;
        cluster.constants.vary(i);
      }
    }
    const changed = cluster.display !== d;
    if (changed) this.#render(cluster);
    return changed;
  }

  /**
   * Sets a cluster's shown tokens, text and id from its display tokens and its constant values (shown once it
   * has held `constantAfter` messages); the old id becomes an alias of the new one.
   * @returns whether the text changed.
   */
  #render(cluster: Cluster): boolean {
    const after = this.options.constantAfter;
    cluster.shown = after > 0 && cluster.size >= after
      ? cluster.constants.render(cluster.display)
      : cluster.display;
    const template = joinTokens(cluster.shown, cluster.glued);
    if (template === cluster.template) return false;
    const oldId = cluster.templateId;
    cluster.template = template;
    cluster.templateId = templateIdOf(template);
    this.registry.merge(oldId, cluster.templateId, template);
    return true;
  }

  /**
   * The readable form of a message's masked tokens: a token masked whole (a path, a URL) keeps its own leading
   * and trailing punctuation (`"<*>"`, `[<*>`, `<*>.`; see {@link framedWildcard}). Grouping uses `masked`.
   */
  #shown(masked: string[], tokens: string[]): string[] {
    if (!this.options.readableTemplates) return masked;
    let out = masked;
    const schemes = this.options.readableAffixes;
    for (let i = 0; i < masked.length; i++) {
      if (masked[i] !== WILDCARD) {
        if (!schemes || !masked[i].includes(WILDCARD) || !tokens[i].includes("://")) continue;
        const f = keyUrlWildcard(masked[i], tokens[i]);
        if (f === masked[i]) continue;
        if (out === masked) out = masked.slice();
        out[i] = f;
        continue;
      }
      const f = this.options.readablePaths
        ? pathWildcard(tokens[i]) ?? framedWildcard(tokens[i], schemes)
        : framedWildcard(tokens[i], schemes);
      if (f === WILDCARD) continue;
      if (out === masked) out = masked.slice();
      out[i] = f;
    }
    return out;
  }

  /** Reads back the values behind each `<*>` of the template tokens from the raw tokens. */
  #params(templateTokens: readonly string[], tokens: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < templateTokens.length; i++) {
      const t = templateTokens[i];
      if (t === WILDCARD) out.push(tokens[i]);
      else if (t.includes(WILDCARD)) {
        if (!pushWildcardValues(t.split(WILDCARD), tokens[i], out)) out.push(tokens[i]);
      }
    }
    return out;
  }

  /** A JSON-safe snapshot of templates, options and registry. */
  toJSON(): TemplateMinerSnapshot {
    return {
      version: 1,
      options: { ...this.options },
      clusters: [...this.#clusters.values()].map((c) => ({
        id: c.id,
        tokens: c.tokens,
        display: c.display,
        ...(c.glued === undefined ? {} : { glued: c.glued }),
        size: c.size,
        ...(c.constants.open ? { constants: c.constants.toJSON() } : {}),
      })),
      registry: this.registry.toJSON(),
    };
  }

  /**
   * Rebuilds a miner from {@link TemplateMiner.toJSON}'s output (templates, ids, tree and registry).
   * @throws {TypeError} when the snapshot is malformed.
   */
  static fromJSON(snapshot: unknown): TemplateMiner {
    const s = snapshot as TemplateMinerSnapshot;
    if (s === null || typeof s !== "object" || s.version !== 1 || !Array.isArray(s.clusters)) {
      throw new TypeError("Cannot restore TemplateMiner as the snapshot is not a version-1 miner snapshot");
    }
    const miner = new TemplateMiner(s.options, TemplateRegistry.fromJSON(s.registry));
    for (const [i, c] of s.clusters.entries()) {
      if (
        !Number.isInteger(c?.id) || c.id < 0 || miner.#clusters.has(c.id) || !Array.isArray(c.tokens) ||
        !c.tokens.every((t) => typeof t === "string") ||
        (c.display !== undefined &&
          (!Array.isArray(c.display) || c.display.length !== c.tokens.length ||
            !c.display.every((t) => typeof t === "string"))) ||
        (c.glued !== undefined &&
          (!Array.isArray(c.glued) || c.glued.length !== c.tokens.length ||
            !c.glued.every((g) => typeof g === "boolean"))) ||
        (c.size !== undefined && (!Number.isInteger(c.size) || c.size < 0))
      ) {
        throw new TypeError(`Cannot restore TemplateMiner as cluster ${i} is malformed`);
      }
      // in the snapshot's order: least recently matched first
      const cluster = miner.#create(
        c.tokens.slice(),
        c.id,
        (c.display ?? c.tokens).slice(),
        c.glued?.slice(),
      );
      cluster.size = c.size ?? 0;
      try {
        cluster.constants = ConstantValues.fromJSON(c.constants, c.tokens.length);
      } catch (e) {
        throw new TypeError(`Cannot restore TemplateMiner as cluster ${i} is malformed`, { cause: e });
      }
      miner.#render(cluster);
    }
    return miner;
  }
}

/**
 * The readable generalisation of a template token `a` that a message's masked token `b` differs from: `a` itself
 * when `b` fits it (its `<*>`s standing for parts of `b`), else what `a` and `b` share before and after the
 * difference, each cut back to a non-alphanumeric boundary (so no word is split: `PWD=/var`, `PWD=/srv` →
 * `PWD=<*>`; `(admin)`, `(carol)` → `(<*>)`; `abc`, `abd` → `<*>`), around one `<*>`. A joiner (`. : - / , _ +
 * @ #`, across which the masker joins variables) ends a kept affix only with `joiners`, and only between a word
 * of the affix and a differing part that starts (ends) with no `<*>`: `orders.service:`, `auth.service:` →
 * `<*>.service:`, `{Name:a,Attempt:<*>,}`, `{Name:b,Attempt:<*>,}` → `{Name:<*>,Attempt:<*>,}`, but
 * `orders-<*>.internal`, `auth-<*>.internal` → `<*>` (one host) and `PWD=/var`, `PWD=/srv` → `PWD=<*>` (one path).
 * Every token fitting `a`, and `b`, fits the result. Linear in the tokens' length.
 */
export function widenTemplateToken(a: string, b: string, joiners = false): string {
  if (a === WILDCARD || a === b) return a;
  if (a.includes(WILDCARD) && pushWildcardValues(a.split(WILDCARD), b, [])) return a;
  const max = Math.min(a.length, b.length);
  let p = 0;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  // the prefix ends on a boundary character that is not part of a `<*>`
  const p0 = p;
  while (
    p > 0 &&
    (!isBoundary(a.charCodeAt(p - 1)) ||
      (isJoiner(a.charCodeAt(p - 1)) &&
        !(joiners && isAlnumCode(a.charCodeAt(p - 2)) && a.charCodeAt(p) !== 60 && b.charCodeAt(p) !== 60)))
  ) p--;
  // none left: still keep leading punctuation that holds no word (`[`, `"/`)
  if (p === 0) { while (p < p0 && isBoundary(a.charCodeAt(p))) p++; }
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  const s0 = s;
  while (
    s > 0 &&
    (!isBoundary(a.charCodeAt(a.length - s)) ||
      (isJoiner(a.charCodeAt(a.length - s)) &&
        !(joiners && isAlnumCode(a.charCodeAt(a.length - s + 1)) && a.charCodeAt(a.length - s - 1) !== 62 &&
          b.charCodeAt(b.length - s - 1) !== 62)))
  ) s--;
  // none left: still keep trailing punctuation that holds no word (`alice.`, `bob.` → `<*>.`)
  if (s === 0) { while (s < s0 && isBoundary(a.charCodeAt(a.length - 1 - s))) s++; }
  if (p === 0 && s === 0) return WILDCARD;
  return a.slice(0, p) + WILDCARD + a.slice(a.length - s);
}

/**
 * The readable form of a `key=value` token whose value, a URL, was masked whole: the URL's scheme kept
 * (`containerID="containerd://<*>"`); any other token: `masked` itself.
 */
function keyUrlWildcard(masked: string, token: string): string {
  const kv = splitKeyValue(token);
  if (kv === null || masked !== kv[0] + WILDCARD + kv[2]) return masked;
  const f = framedWildcard(kv[1], true);
  return f === WILDCARD ? masked : kv[0] + f + kv[2];
}

/**
 * Whether two tokens share a prefix ending, or a suffix starting, with a non-alphanumeric character: a value
 * framed by constant text (`(alice)`/`(bob)`, `orders.service:`/`auth.service:`), not two words
 * (`cupsd`/`syslogd` share only the letter `d`).
 */
export function sharesFramedAffix(a: string, b: string): boolean {
  const max = Math.min(a.length, b.length);
  let p = 0;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  while (p > 0 && isAlnumCode(a.charCodeAt(p - 1))) p--;
  if (p > 0) return true;
  let s = 0;
  while (s < max && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  while (s > 0 && isAlnumCode(a.charCodeAt(a.length - s))) s--;
  return s > 0;
}

/**
 * Whether both tokens hold a `<*>` in the part where they differ (between their common prefix and suffix): their
 * difference is around a variable (`auth-<*>.us-east-<*>` vs `search-<*>.eu-west-<*>`), not a word of their own.
 */
function differsInVariable(a: string, b: string): boolean {
  const max = Math.min(a.length, b.length);
  let p = 0;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  // widen by two characters each side so a `<*>` cut by the common prefix or suffix still counts
  const lo = Math.max(0, p - 2);
  return a.slice(lo, a.length - s + 2).includes(WILDCARD) && b.slice(lo, b.length - s + 2).includes(WILDCARD);
}

function hasNonAlnum(token: string): boolean {
  for (let i = 0; i < token.length; i++) if (!isAlnumCode(token.charCodeAt(i))) return true;
  return false;
}

function isAlnumCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** An upper-case enum word (`RUNNING`, `FAIL_TASK_CLEANUP`): at least two letters, `A-Z` and `_` only. */
function isEnumWord(token: string): boolean {
  if (token.length < 2) return false;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || c === 95)) return false;
  }
  return true;
}

/** Not alphanumeric, not `<`, `*` or `>` (the characters of `<*>`). */
/** `. : - / , _ + @ #`: the masker joins variables across them, so a variable does not end at one. */
function isJoiner(c: number): boolean {
  return c === 46 || c === 58 || c === 45 || c === 47 || c === 44 || c === 95 || c === 43 || c === 64 ||
    c === 35;
}

function isBoundary(c: number): boolean {
  return !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 60 || c === 42 ||
    c === 62);
}

export { maskToken, pushWildcardValues };
