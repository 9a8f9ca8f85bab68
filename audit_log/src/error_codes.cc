#include "audit_log/error_codes.h"

#include <algorithm>
#include <vector>

namespace sunbid {

namespace {

using K = ErrorKind;

// The one table of error codes (issue 12, "Errors with a kind"). Grouped by
// the lowest module that returns the code, sorted by code within a group.
// A code's kind fixes its HTTP status (server/src/error_response.cc): a new
// code takes the kind its meaning calls for; an existing code never changes
// kind (clients rely on the status). Codes of kind `internal` are faults the
// client cannot fix: their text is never sent (the answer says only
// "internal server error").
//
// Add a code: one row here, then `scripts/gen-error-codes.py` rewrites
// schemas/openapi.json's x-error-codes (docs/errors.md).
constexpr ErrorCodeInfo kErrorCodes[] = {
    // audit_log: the log, proofs, checkpoints, keys, canonical and strict JSON, storage.
    {"storage_error", K::internal, "存储错误", "storage error"},
    {"checkpoint_invalid", K::internal, "检查点无效", "the checkpoint is invalid"},
    {"checkpoint_malformed", K::internal, "检查点正文格式错误", "checkpoint body is malformed"},
    {"checkpoint_not_found", K::not_found, "没有该大小的检查点",
     "no stored checkpoint of that size"},
    {"checkpoint_origin_mismatch", K::internal, "检查点来源与期望不符",
     "checkpoint origin is not the expected log"},
    {"consistency_from_empty_tree", K::unprocessable, "不能证明与空树的一致性",
     "no consistency proof from an empty tree"},
    {"consistency_sizes_reversed", K::unprocessable, "旧树大于新树",
     "the first tree is larger than the second"},
    {"crypto_failure", K::internal, "密码库操作失败", "OpenSSL operation failed"},
    {"digest_not_found", K::internal, "找不到该摘要", "no personal value behind that digest"},
    {"duplicate_key", K::internal, "JSON 对象含重复的键", "duplicate key in a JSON object"},
    {"entry_invalid", K::internal, "日志条目无效", "a log entry is invalid"},
    {"export_failed", K::internal, "导出失败", "the export failed"},
    {"frontier_size_mismatch", K::internal, "边界节点数与树大小不符",
     "frontier hash count does not match the tree size"},
    {"hash_length_wrong", K::internal, "哈希长度不是 32 字节", "hash is not 32 bytes long"},
    {"index_out_of_range", K::unprocessable, "没有该条目", "no entry at that index"},
    {"input_unusable", K::internal, "输入无法使用", "the input cannot be used"},
    {"integer_out_of_range", K::internal, "整数超出 int64 范围", "integer outside int64"},
    {"internal_error", K::internal, "内部错误", "internal error"},
    {"invalid_entry", K::internal, "日志条目无效", "invalid log entry"},
    {"invalid_integer", K::internal, "不是规范的 int64 整数", "not a canonical int64 integer"},
    {"invalid_json", K::invalid, "请求体不是合法的 JSON", "the body is not valid JSON"},
    {"invalid_migrations", K::internal, "迁移编号无效或重复",
     "a migration version is invalid or repeated"},
    {"invalid_string", K::internal, "不是规范的 JSON 字符串", "not a canonical JSON string"},
    {"invalid_utf8", K::internal, "不是合法的 UTF-8", "not valid UTF-8"},
    {"key_file_invalid", K::internal, "摘要密钥文件格式错误", "the digest key file is malformed"},
    {"key_file_io", K::internal, "读写密钥文件失败", "key file I/O failed"},
    {"key_file_permissions", K::internal, "密钥文件可被组或其他用户访问（应为 0600）",
     "the key file is accessible by group or others (want 0600)"},
    {"key_name_invalid", K::internal, "密钥名称无效", "the key name is invalid"},
    {"key_name_mismatch", K::internal, "密钥文件中的名称与配置不符",
     "key file holds a key with another name"},
    {"ledger_stopped", K::unavailable, "账本已停止写入", "the ledger has stopped writing"},
    {"log_corrupt", K::internal, "审计日志损坏", "the audit log is corrupt"},
    {"migration_failed", K::internal, "数据库迁移失败", "a database migration failed"},
    {"migration_missing", K::internal, "数据库缺少迁移", "the database misses a migration"},
    {"nesting_too_deep", K::internal, "嵌套过深", "nesting too deep"},
    {"node_reader_mismatch", K::internal, "存储返回的节点数与请求不符",
     "node reader returned the wrong number of hashes"},
    {"non_canonical_json", K::internal, "不是规范 JSON", "not canonical JSON"},
    {"non_integer_number", K::invalid, "数值须为整数（不得有小数或指数）",
     "a number must be an integer (no fraction or exponent)"},
    {"not_a_sunbid_database", K::internal, "不是 sunbid 数据库", "not a sunbid database"},
    {"note_malformed", K::internal, "签名便笺格式错误", "signed note is malformed"},
    {"note_unverified", K::internal, "便笺没有此公钥的签名",
     "note carries no signature by this key"},
    {"proof_invalid", K::internal, "证明无效", "the proof is invalid"},
    {"proof_length_wrong", K::internal, "证明长度错误", "proof has the wrong number of hashes"},
    {"root_mismatch", K::internal, "计算出的根哈希与期望不符",
     "computed root hash does not match the expected one"},
    {"schema_too_new", K::internal, "数据库结构版本高于本程序支持的版本",
     "the database schema is newer than this program supports"},
    {"signature_invalid", K::internal, "签名验证失败", "signature does not verify"},
    {"signer_key_hash_mismatch", K::internal, "签名私钥的密钥标识不符",
     "signer key id does not match the key"},
    {"signer_key_malformed", K::internal, "签名私钥格式错误", "signer key is malformed"},
    {"unexpected_kind", K::internal, "无法编码该类型的值", "cannot encode this kind of value"},
    {"verifier_key_algorithm_unknown", K::internal, "不支持的签名算法",
     "unsupported signature algorithm"},
    {"verifier_key_hash_mismatch", K::internal, "验证公钥的密钥标识与公钥不符",
     "verifier key id does not match the key"},
    {"verifier_key_malformed", K::internal, "验证公钥格式错误", "the verifier key is malformed"},
    // documents: the PDF renderer (pinned fonts, QR codes, cairo).
    {"document_render_failed", K::internal, "文档生成失败", "document rendering failed"},
    // official documents (issue 14 §1): the list, the stored PDFs, the worker.
    {"document_not_found", K::not_found, "文档不存在", "no such document"},
    {"document_source_invalid", K::internal, "文档源数据无效",
     "a document's stored source data is invalid"},
    // tender_core: registry, tenders, bids, objections, rules.
    {"action_not_allowed", K::conflict, "当前状态不允许此操作",
     "the tender's status does not allow this action"},
    {"amendment_deadline_earlier", K::unprocessable, "补遗不能提前投标截止时间",
     "an amendment cannot bring the deadline forward"},
    {"amendment_invalid", K::invalid, "补遗内容不能为空", "the amendment text is required"},
    {"award_invalid", K::unprocessable, "定标结果无效", "the award is invalid"},
    {"award_notice_not_allowed", K::conflict, "只有已定标的招标可以发出中标通知书",
     "the award notice can be issued only for an awarded tender"},
    {"bid_after_deadline", K::conflict, "投标截止时间已过", "the bid deadline has passed"},
    {"bid_already_revealed", K::conflict, "投标已解密", "the bid is already revealed"},
    {"bid_invalid", K::unprocessable, "投标文件无效", "the bid is invalid"},
    {"bid_not_found", K::not_found, "未找到本企业对该招标的投标",
     "no bid of yours for this tender"},
    {"bid_price_out_of_range", K::unprocessable, "报价超出上限",
     "the bid price is above the platform's bound"},
    {"bidder_not_qualified", K::unprocessable, "不符合本招标的资格条件",
     "the enterprise does not meet the tender's qualification thresholds"},
    {"bidder_type_not_allowed", K::forbidden, "只有企业（统一社会信用代码前两位为91）可以投标",
     "only an enterprise (USCC type 91) may bid"},
    {"calendar_invalid", K::unprocessable, "节假日安排无效", "the calendar is invalid"},
    {"candidates_invalid", K::unprocessable, "候选人名单无效", "the candidate list is invalid"},
    {"commitment_invalid", K::invalid, "承诺值应为64位小写十六进制",
     "the commitment must be 64 lowercase hex digits"},
    {"community_invalid", K::unprocessable, "小区名称、区、街道、地址均不能为空",
     "name, district, street and address are required"},
    {"community_not_found", K::not_found, "小区不存在", "no such community"},
    {"contract_already_recorded", K::conflict, "该招标的合同已登记",
     "the contract of this tender is already recorded"},
    {"contract_invalid", K::unprocessable, "合同登记无效", "the contract record is invalid"},
    {"contract_not_allowed", K::conflict, "只有已定标的招标可以登记合同",
     "a contract can be recorded only for an awarded tender"},
    {"contract_not_found", K::not_found, "合同不存在", "no such contract"},
    {"credit_grade_unknown", K::unprocessable, "信用等级不在等级序列中",
     "the credit grade is not on the scale"},
    {"credit_scale_invalid", K::internal, "信用等级序列无效", "the credit grade scale is invalid"},
    {"credit_score_range", K::unprocessable, "信用分须在0至10000（0.00至100.00分）之间",
     "credit_score must be 0..10000"},
    {"deadline_too_soon", K::unprocessable, "投标截止时间距发布不足规定天数",
     "the bid deadline is too soon after publication"},
    {"enterprise_exists", K::conflict, "该统一社会信用代码已登记",
     "an enterprise with this USCC is registered"},
    {"enterprise_invalid", K::unprocessable, "企业名称不能为空", "the enterprise name is required"},
    {"enterprise_not_found", K::not_found, "企业不存在", "no such enterprise"},
    {"extension_invalid", K::unprocessable, "延长时间应为1秒至365天",
     "the extension must be 1 s to 365 days"},
    {"field_too_long", K::too_large, "字段过长", "a field is too long"},
    {"invalid_query", K::invalid, "查询参数无效", "a query parameter is invalid"},
    {"not_an_enterprise", K::forbidden, "只有物业服务企业可以投标", "only an enterprise may bid"},
    {"not_in_reveal_window", K::conflict, "不在解密（揭示）期内", "outside the reveal window"},
    {"not_supervisor", K::forbidden, "只有监督人员可以操作", "only a supervisor may do this"},
    {"not_tenderer_of_community", K::forbidden, "只有本小区的招标人可以操作该招标",
     "only a tenderer of the tender's own community may do this"},
    {"objection_already_answered", K::conflict, "该异议已答复", "the objection was answered"},
    {"objection_invalid", K::unprocessable, "异议内容不能为空", "the objection text is required"},
    {"objection_not_entitled", K::forbidden, "无权对该阶段提出异议",
     "you may not object at this stage of this tender"},
    {"objection_not_found", K::not_found, "异议不存在", "no such objection"},
    {"objection_unanswered", K::conflict, "尚有未答复的异议", "an objection is unanswered"},
    {"objection_window_closed", K::conflict, "当前不在异议期内",
     "no objection window is open for this tender"},
    {"opening_not_public", K::conflict, "开标记录尚未公开", "the opening record is not public yet"},
    {"ratings_empty", K::unprocessable, "评价记录为空", "no rating records given"},
    {"reason_required", K::unprocessable, "须说明理由", "a reason is required"},
    {"retender_invalid", K::unprocessable, "retender_of须为本小区已流标或已取消的招标",
     "retender_of must name a failed or cancelled tender of the same community"},
    {"reveal_mismatch", K::unprocessable, "解密内容与投标承诺不符",
     "the salt and bid do not open the commitment"},
    {"roster_invalid", K::unprocessable, "业主名册有错误，未导入",
     "the roster has problems and was not imported"},
    {"roster_locked_by_vote", K::conflict, "该小区业主表决进行中，不能更换名册",
     "an owners' vote of this community is open; the roster cannot be replaced"},
    {"roster_required", K::unprocessable, "业主表决定标的招标须先导入业主名册",
     "an owners_vote tender needs the community's roster first"},
    {"rule_required", K::unprocessable, "须写明所违反的规定", "the rule violated is required"},
    {"rules_invalid_value", K::unprocessable, "规则字段值无效",
     "a rules field has an invalid value"},
    {"rules_missing_field", K::invalid, "规则缺少字段", "a rules field is missing"},
    {"rules_not_object", K::invalid, "规则须为 JSON 对象", "rules must be a JSON object"},
    {"rules_unknown_field", K::invalid, "规则含未知字段", "unknown rules field"},
    {"rules_wrong_type", K::invalid, "规则字段类型错误", "a rules field has the wrong type"},
    {"salt_invalid", K::invalid, "盐值应为64位小写十六进制（32字节）",
     "the salt must be 64 lowercase hex digits (32 bytes)"},
    {"service_tier_invalid", K::unprocessable, "服务等级无效", "invalid service tier"},
    {"service_tier_unknown", K::unprocessable, "服务等级不存在", "no such service tier"},
    {"star_rating_range", K::unprocessable, "星级须在0至5之间（0为不达标）",
     "star_rating must be 0..5 (0 = below standard)"},
    {"tender_awarded", K::conflict, "招标已定标", "the tender has been awarded"},
    {"tender_cancelled", K::conflict, "招标已取消", "the tender was cancelled"},
    {"tender_failed", K::conflict, "招标已流标", "the tender has failed"},
    {"tender_invalid", K::unprocessable, "招标草稿无效", "the tender draft is invalid"},
    {"tender_not_draft", K::conflict, "招标已发布，不能修改草稿",
     "the tender is no longer a draft"},
    {"tender_not_found", K::not_found, "招标不存在", "no such tender"},
    {"tender_not_published", K::conflict, "招标尚未发布", "the tender is not published"},
    {"tender_not_suspended", K::conflict, "招标未暂停", "the tender is not suspended"},
    {"tender_suspended", K::conflict, "招标已暂停", "the tender is suspended"},
    {"tender_unchanged", K::unprocessable, "草稿没有变化", "the draft would not change"},
    {"time_invalid", K::invalid, "时间格式无效（须为RFC 3339）", "invalid RFC 3339 time"},
    {"transition_pending", K::conflict, "有到期的状态转换待处理，请重试",
     "a due transition is pending; retry"},
    {"uscc_authority_type", K::unprocessable, "登记管理部门与机构类别代码组合无效",
     "invalid registration authority and institution type pair"},
    {"uscc_charset", K::unprocessable, "统一社会信用代码含非法字符",
     "the USCC has an invalid character"},
    {"uscc_check", K::unprocessable, "统一社会信用代码校验位错误", "USCC check character is wrong"},
    {"uscc_length", K::unprocessable, "统一社会信用代码必须为18位",
     "the USCC must be exactly 18 characters"},
    {"uscc_org_code", K::unprocessable, "主体标识码（组织机构代码）校验位错误",
     "the organization code check character is wrong"},
    {"uscc_region", K::unprocessable, "登记管理机关行政区划码必须为6位数字",
     "the region code must be 6 digits"},
    // evaluation: experts, the committee, reviews, draws, the decision.
    {"already_declared", K::conflict, "已作出声明", "the member has already declared"},
    {"already_recused", K::conflict, "已声明回避", "already recused"},
    {"already_submitted", K::conflict, "评审意见一经提交不可更改",
     "marks are final once submitted"},
    {"already_voted", K::conflict, "本轮已投票", "already voted in this round"},
    {"award_not_public", K::conflict, "尚未定标", "the award is not public yet"},
    {"ballot_not_on_roster", K::internal, "投票人不在业主名册中",
     "ballot from an owner key not on the roster"},
    {"beacon_date_in_future", K::conflict, "信标日期晚于今日（北京时间）",
     "the beacon date is after today (China time)"},
    {"beacon_date_not_allowed", K::unprocessable, "信标日期须为抽取输入确定后的第一个交易日",
     "the beacon date must be the first trading day after the draw's inputs were fixed"},
    {"beacon_invalid", K::unprocessable, "信标无效", "the beacon is invalid"},
    {"cancel_requires_supervisor", K::conflict, "表决已开始，只有监管部门可以取消",
     "the vote has opened: only a supervisor may cancel"},
    {"candidates_not_public", K::conflict, "候选人尚未公示", "the candidates are not publicized"},
    {"checkpoint_pending", K::conflict, "尚无覆盖抽取输入的检查点，请稍后再试",
     "no checkpoint covers the draw's inputs yet; retry later"},
    {"clearing_not_ready", K::conflict, "清标报告尚未生成", "the clearing report is not ready"},
    {"committee_specialties_invalid", K::unprocessable, "专业人数要求之和超过评审委员会人数",
     "the specialty minimums exceed the committee size"},
    {"committee_specialty_unavailable", K::unprocessable, "可抽取的该专业专家人数不足",
     "too few eligible experts of a required specialty"},
    {"criterion_marked_twice", K::unprocessable, "同一评审因素评了两次", "criterion marked twice"},
    {"criterion_not_marked", K::unprocessable, "有评审因素未评", "a criterion is not marked"},
    {"decision_committee_invalid", K::unprocessable, "票决成员须为不少于5人的单数",
     "the deciding committee must be an odd number of at least 5"},
    {"decision_pending_draw", K::conflict, "定标等待抽取信标",
     "the decision waits for a draw's beacon"},
    {"duplicate_ballot", K::internal, "同一业主有多张有效选票",
     "more than one ballot for an owner key"},
    {"duplicate_expert", K::internal, "专家库中账号重复",
     "expert account appears twice in the pool"},
    {"duplicate_submission", K::conflict, "同一成员对同一投标提交了两次",
     "member reviewed the bid twice"},
    {"duplicate_vote", K::internal, "同一成员本轮重复投票", "member voted twice in one round"},
    {"expert_exists", K::conflict, "该账号已在专家库中", "the account is already in the pool"},
    {"expert_invalid", K::unprocessable, "专家账号无效", "the expert account is empty or invalid"},
    {"expert_not_found", K::not_found, "专家库中没有该账号", "the account is not in the pool"},
    {"fail_without_reason", K::unprocessable, "不合格必须说明理由", "a fail needs a reason"},
    {"invalid_bids", K::internal, "有效投标名单无效", "the list of valid bids is invalid"},
    {"invalid_candidates", K::internal, "候选人名单无效", "the candidate list is invalid"},
    {"invalid_committee", K::internal, "评审委员会名单无效", "the committee list is invalid"},
    {"invalid_committee_size", K::internal, "评审委员会人数无效", "the committee size is invalid"},
    {"invalid_criteria", K::internal, "评审因素名单无效", "the criteria list is invalid"},
    {"invalid_draw_field", K::unprocessable, "抽签种子字段不得包含换行符",
     "draw seed field contains a newline"},
    {"invalid_expert", K::internal, "专家记录无效", "an expert record is invalid"},
    {"invalid_members", K::internal, "决策成员名单无效", "the member list is invalid"},
    {"invalid_parameters", K::internal, "参数无效", "the parameters are invalid"},
    {"invalid_roster", K::internal, "表决名册无效", "the voting roster is invalid"},
    {"member_has_submitted", K::conflict, "该评委已提交评审意见，不得更换",
     "the member has submitted marks and cannot be replaced"},
    {"no_pending_draw", K::conflict, "没有等待该信标的抽取", "no draw of this purpose is pending"},
    {"not_a_candidate", K::unprocessable, "所选不是本轮候选人", "not a candidate of this round"},
    {"not_a_committee_member", K::forbidden, "提交人不是评审委员会成员",
     "submitter is not a committee member"},
    {"not_a_voter", K::forbidden, "不是本轮表决成员", "not a member of the deciding committee"},
    {"not_admin", K::forbidden, "此操作须由管理员执行", "this command needs the role admin"},
    {"not_allowed", K::forbidden, "无权查看", "not allowed to read this"},
    {"not_an_owner", K::forbidden, "不是本小区业主", "not an owner of this community"},
    {"not_declared", K::conflict, "须先声明无利害关系", "declare no conflict first"},
    {"not_evaluator", K::forbidden, "此操作须由评标专家执行",
     "this command needs the role evaluator"},
    {"not_owner", K::forbidden, "此操作须由业主执行", "this command needs the role owner"},
    {"not_tenderer", K::forbidden, "此操作须由招标人执行", "this command needs the role tenderer"},
    {"owner_not_on_roster", K::forbidden, "业主不在表决名册中",
     "the owner is not on the roster snapshot"},
    {"pool_not_committed", K::conflict, "专家名单尚未承诺", "the expert list is not committed yet"},
    {"recusal_quorum", K::conflict, "回避后表决成员将不足原委员会的半数以上",
     "the recusal would leave no more than half of the deciding committee"},
    {"review_closed", K::conflict, "评审不在进行中", "the review is not open"},
    {"review_incomplete", K::internal, "评审尚未完成", "the review is not complete"},
    {"tender_wrong_status", K::conflict, "招标所处阶段不允许此操作",
     "the tender is not in the status this command needs"},
    {"too_few_experts", K::unprocessable, "可抽取的专家人数不足",
     "too few eligible experts for the committee"},
    {"unknown_bid", K::unprocessable, "所评投标不是有效投标", "bid is not a valid bid"},
    {"unknown_candidate", K::internal, "选票所选不是候选人",
     "ballot names a bid that is not a candidate"},
    {"unknown_criterion", K::unprocessable, "评审因素不在招标文件中",
     "criterion is not in the tender"},
    {"vote_by_non_member", K::internal, "投票人不是决策成员", "vote by someone not a member"},
    {"vote_for_non_candidate", K::internal, "所投对象不是本轮候选人",
     "vote for a bid that is not a candidate"},
    {"vote_window_closed", K::conflict, "不在表决期内", "the vote window is not open"},
    {"vote_window_open", K::conflict, "表决尚未开始", "the vote has not opened"},
    {"wrong_method", K::conflict, "本项目不由业主表决定标",
     "this tender is not decided by the owners' vote"},
    {"wrong_round", K::conflict, "轮次不符", "not the current round"},
    // publication: OCDS releases, documents, feeds.
    {"ocds_invalid_amount", K::internal, "开放数据金额不是十进制数",
     "an OCDS amount is not a decimal"},
    {"ocds_unknown_bid", K::internal, "决定所选投标不在开标记录中",
     "the decided bid is not in the opening record"},
    // assembly: owners' assembly motions (业主大会议题, docs/motions.md).
    {"motion_choice_invalid", K::unprocessable, "所选不是本议题的选项",
     "the choice is not an option of this motion"},
    {"motion_invalid", K::unprocessable, "议题无效", "the motion is invalid"},
    {"motion_not_found", K::not_found, "议题不存在", "no such motion"},
    {"motion_notice_too_short", K::unprocessable, "表决须在公告十五日后开始",
     "the window must open at least 15 calendar days after the notice"},
    {"motion_roster_missing", K::conflict, "该小区尚无业主名册", "the community has no roster"},
    {"motion_window_too_long", K::unprocessable, "表决期不得超过90日",
     "the voting window must be at most 90 days"},
    {"motion_window_too_short", K::unprocessable, "表决期不得少于7日",
     "the voting window must be at least 7 days"},
    {"motion_wrong_status", K::conflict, "议题所处阶段不允许此操作",
     "the motion is not in the status this command needs"},
    {"selection_plan_in_use", K::conflict, "该选聘方案已用于另一项进行中的招标",
     "another live tender already follows this selection plan"},
    {"selection_plan_mismatch", K::unprocessable, "招标规则与选聘方案不符",
     "the tender's rules contradict its selection plan"},
    {"selection_plan_not_passed", K::unprocessable, "本小区没有该项已表决通过的选聘方案议题",
     "the community has no passed selection-plan motion of that id"},
    {"selection_plan_required", K::unprocessable, "招标须依据业主大会表决通过的选聘方案",
     "a tender needs the owners' passed selection plan"},
    // server and accounts: the HTTP layer, accounts and sessions (accounts/), limits,
    // configuration.
    {"access_record_corrupt", K::internal, "访问记录损坏", "the access record is corrupt"},
    {"account_binding_held", K::conflict, "该企业或业主已绑定账户，另建账户须经监督员批准",
     "another account holds this binding; a second one needs a supervisor's approval"},
    {"account_disabled", K::forbidden, "账户已停用", "the account is disabled"},
    {"account_not_found", K::not_found, "账户不存在", "no such account"},
    {"account_relation_invalid", K::unprocessable, "账户关联的小区、业主或企业无效",
     "the account's community, owner or enterprise is not registered"},
    {"activation_code_expired", K::conflict, "激活码已过期", "the activation code has expired"},
    {"activation_code_invalid", K::unprocessable, "激活码格式不对或校验位不符",
     "the activation code is malformed or its check symbol does not match"},
    {"activation_code_revoked", K::conflict, "激活码已作废（已补发新码）",
     "the activation code was revoked by a newer one"},
    {"activation_code_unknown", K::unprocessable, "激活码不存在", "no such activation code"},
    {"activation_code_used", K::conflict, "激活码已使用", "the activation code has been used"},
    {"approval_not_found", K::not_found, "审批申请不存在", "no such approval request"},
    {"approval_not_pending", K::conflict, "该申请已处理", "the request is no longer pending"},
    {"bad_request", K::invalid, "请求无效", "the request is malformed"},
    {"body_too_large", K::too_large, "请求体过大", "the request body is too large"},
    {"certificate_tail_mismatch", K::unprocessable, "产权证号尾号不符",
     "the certificate number tail does not match"},
    {"certificate_tail_required", K::unprocessable, "激活时须填写产权证号尾号",
     "activation asks for the certificate number tail"},
    {"config_io", K::internal, "无法读取配置文件", "cannot read the configuration file"},
    {"dev_clock_not_loopback", K::invalid, "--dev-clock 只能监听本机回环地址",
     "--dev-clock requires a loopback listen address"},
    {"expert_not_evaluator", K::unprocessable, "专家库只收评标专家账户",
     "only evaluator accounts enter the expert pool"},
    {"forbidden", K::forbidden, "无权执行此操作", "your role may not do this"},
    {"header_too_large", K::header_too_large, "请求头过大", "the request header is too large"},
    {"invalid_credentials", K::unauthenticated, "用户名或密码错误", "wrong username or password"},
    {"invalid_field", K::invalid, "字段值无效", "a field's value is invalid"},
    {"io_error", K::internal, "文件读写失败", "file I/O failed"},
    {"listen_failed", K::internal, "无法监听", "cannot listen"},
    {"login_busy", K::unavailable, "登录繁忙，请稍后再试", "too many logins in progress"},
    {"method_not_allowed", K::method_not_allowed, "不支持该方法", "method not allowed"},
    {"missing_field", K::invalid, "缺少字段", "a required field is missing"},
    {"not_found", K::not_found, "未找到", "not found"},
    {"objection_too_long", K::too_large, "异议内容过长", "the objection text is too long"},
    {"origin_mismatch", K::forbidden, "请求来源不是本站", "the request's Origin is not this site"},
    {"owner_has_account", K::conflict, "该业主已有账户", "the owner already has an account"},
    {"owner_key_unknown", K::unprocessable, "业主标识不在该小区名册中",
     "the owner key is not on the community roster"},
    {"reset_needs_supervisor", K::forbidden, "为已有账户的业主补发激活码须由监督员办理",
     "re-issuing a code for an owner with an account is for supervisors"},
    {"roster_not_imported", K::conflict, "该小区尚未导入业主名册", "the community has no roster"},
    {"session_invalid", K::unauthenticated, "会话无效或已过期",
     "the session is invalid or expired"},
    {"shutting_down", K::unavailable, "服务正在停止", "the server is shutting down"},
    {"tls_config", K::internal, "TLS 配置无效", "the TLS configuration is invalid"},
    {"tls_file_io", K::internal, "无法写入或读取 TLS 文件", "cannot write or read a TLS file"},
    {"too_many_activation_attempts", K::rate_limited, "激活尝试失败次数过多，请稍后再试",
     "too many failed activation attempts; try later"},
    {"too_many_attempts", K::rate_limited, "登录失败次数过多，请稍后再试",
     "too many failed logins; try later"},
    {"too_many_replacements", K::rate_limited, "提交过于频繁，请稍后再试",
     "too many submissions; try later"},
    {"unauthenticated", K::unauthenticated, "需要登录", "a session is required"},
    {"unknown_field", K::invalid, "未知字段", "unknown field"},
    {"unsupported_media_type", K::unsupported_media_type, "请求体须为 JSON",
     "the body must be application/json"},
    {"username_taken", K::conflict, "用户名已被使用", "the username is already taken"},
};

}  // namespace

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case K::invalid:
      return "invalid";
    case K::unauthenticated:
      return "unauthenticated";
    case K::forbidden:
      return "forbidden";
    case K::not_found:
      return "not_found";
    case K::method_not_allowed:
      return "method_not_allowed";
    case K::conflict:
      return "conflict";
    case K::too_large:
      return "too_large";
    case K::unsupported_media_type:
      return "unsupported_media_type";
    case K::unprocessable:
      return "unprocessable";
    case K::rate_limited:
      return "rate_limited";
    case K::header_too_large:
      return "header_too_large";
    case K::internal:
      return "internal";
    case K::unavailable:
      return "unavailable";
  }
  return "internal";
}

std::span<const ErrorCodeInfo> error_codes() {
  return kErrorCodes;
}

const ErrorCodeInfo* find_error_code(std::string_view code) {
  // Sorted by code once (thread-safe static initialisation); a refusal's
  // lookup is then a binary search.
  static const std::vector<const ErrorCodeInfo*> by_code = [] {
    std::vector<const ErrorCodeInfo*> v;
    for (const auto& info : kErrorCodes) v.push_back(&info);
    std::sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->code < b->code; });
    return v;
  }();
  auto it = std::lower_bound(
      by_code.begin(), by_code.end(), code,
      [](const ErrorCodeInfo* info, std::string_view c) { return info->code < c; });
  return it != by_code.end() && (*it)->code == code ? *it : nullptr;
}

ErrorKind error_kind(std::string_view code) {
  const ErrorCodeInfo* info = find_error_code(code);
  return info ? info->kind : ErrorKind::internal;
}

}  // namespace sunbid
