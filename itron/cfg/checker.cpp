// itron-cfg checker: the shape of each static API (μITRON 4.0 section 2.4.4 and the
// TOPPERS/ASP static APIs), object ID assignment, DEF_TEX resolution and duplicates.
#include "checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>

#include "api_rules.hpp"
#include "evaluator.hpp"
#include "object_classes.hpp"
#include "value_checks.hpp"

namespace itron::cfg {
namespace {

// A DEF_TEX waiting for every CRE_TSK to be known ("before or after").
struct PendingTex {
  Token task;
  Location where;
  std::vector<Expr> params;
};

// Where an ID name was first defined, across all classes (the ID header defines it once).
struct NameUse {
  ObjectClass cls;
  Location where;
};

class Checker {
 public:
  Checker(Diagnostics& diagnostics, Flavor flavor)
      : diagnostics_(diagnostics), flavor_(flavor), values_(diagnostics, config_.checks) {}

  Configuration run(const std::vector<ApiCall>& calls) {
    for (const ApiCall& call : calls) check_call(call);
    for (std::size_t c = 0; c < kObjectClassCount; ++c) {
      assign_ids(config_.objects[c], static_cast<ObjectClass>(c));
    }
    for (const PendingTex& tex : texes_) attach_tex(tex);
    for (const RoutineDef& isr : config_.service_routines) check_isr_line(isr);
    return std::move(config_);
  }

 private:
  void check_call(const ApiCall& call) {
    const ApiShape* shape = find_api(call.name);
    if (shape == nullptr) {
      diagnostics_.error(call.where, fmt::format("E_RSFN: unknown static API {}", call.name));
      return;
    }
    if ((shape->flavors & static_cast<unsigned>(flavor_)) == 0) {
      diagnostics_.error(call.where, fmt::format("E_RSFN: {} is not a static API of {}, this application's flavour",
                                                 call.name, flavor_name(flavor_)));
      return;
    }
    const auto params = packet_of(call, *shape);
    if (!params) return;
    const Expr* number = call.args.size() == 2 ? &call.args.front().elements.front() : nullptr;
    check_values(*shape, *params, values_, number);
    switch (shape->kind) {
      case ApiKind::object:
        add_object(call, *shape, *params);
        break;
      case ApiKind::interrupt_handler:
        add_numbered(call, *params, config_.interrupt_handlers, "interrupt handler number");
        break;
      case ApiKind::interrupt_line:
        add_numbered(call, *params, config_.interrupt_lines, "interrupt number");
        break;
      case ApiKind::exception_handler:
        add_numbered(call, *params, config_.exception_handlers, "CPU exception handler number");
        break;
      case ApiKind::task_exception:
        add_tex(call, *params);
        break;
      case ApiKind::initializer:
        config_.initializers.push_back({call.where, *params});
        break;
      case ApiKind::terminator:
        config_.terminators.push_back({call.where, *params});
        break;
      case ApiKind::service_routine:
        config_.service_routines.push_back({call.where, *params});
        break;
    }
  }

  // The packet's elements completed to the full form, or nullopt after a shape error.
  std::optional<std::vector<Expr>> packet_of(const ApiCall& call, const ApiShape& shape) {
    const std::size_t want = shape.kind == ApiKind::initializer || shape.kind == ApiKind::terminator ||
                                     shape.kind == ApiKind::service_routine
                                 ? 1
                                 : 2;
    if (call.args.size() != want) {
      diagnostics_.error(call.where,
                         fmt::format("E_PAR: {} takes {} parameters ({}), not {}", call.name, want,
                                     shape.synopsis, call.args.size()));
      return std::nullopt;
    }
    const Argument& packet = call.args.back();
    const std::size_t count = packet.elements.size();
    if (!packet.is_packet || count < shape.shortest || count > shape.full) {
      diagnostics_.error(packet.where,
                         fmt::format("E_PAR: {} expects the packet {} ({} elements), not {}",
                                     call.name, shape.packet, shape.full,
                                     packet.is_packet ? fmt::format("{} elements", count)
                                                      : "'" + packet.elements[0].text + "'"));
      return std::nullopt;
    }
    std::vector<Expr> params = packet.elements;
    while (params.size() < shape.full) params.push_back(null_expr(packet.where));
    if (want == 2 && call.args.front().is_packet) {
      const auto message = fmt::format("E_PAR: the first parameter of {} is a packet", call.name);
      diagnostics_.error(call.where, message);
      return std::nullopt;
    }
    return params;
  }

  static Expr null_expr(const Location& where) {
    return {{Token{TokenKind::identifier, "NULL", where, false}}, "NULL", where};
  }

  // The object ID parameter: one identifier or one integer literal >= 1.
  std::optional<Token> id_token(const ApiCall& call, std::string_view noun) {
    const Expr& id = call.args.front().elements.front();
    const bool single = id.tokens.size() == 1;
    if (single && id.tokens[0].kind == TokenKind::identifier) return id.tokens[0];
    if (single && id.tokens[0].kind == TokenKind::number) {
      const auto value = parse_integer_literal(id.text);
      if (value && value->value >= 1 && value->value <= 0xffff) return id.tokens[0];
    }
    const auto message = fmt::format(
        "E_ID: {} ID must be an identifier or an integer from 1, "
        "not '{}'",
        noun, id.text);
    diagnostics_.error(id.where, message);
    return std::nullopt;
  }

  void add_object(const ApiCall& call, const ApiShape& shape, std::vector<Expr> params) {
    const ObjectClassDef& info = object_class(shape.cls);
    const auto id = id_token(call, info.noun);
    if (!id) return;
    ObjectDef def{{}, 0, call.where, std::move(params), {}, {}};
    if (id->kind == TokenKind::number) {
      def.id = static_cast<std::uint32_t>(parse_integer_literal(id->text)->value);
    } else if (!claim_name(id->text, shape.cls, call.where)) {
      return;
    } else {
      def.name = id->text;
    }
    config_.objects[static_cast<std::size_t>(shape.cls)].push_back(std::move(def));
  }

  bool claim_name(const std::string& name, ObjectClass cls, const Location& where) {
    const auto [it, fresh] = names_.try_emplace(name, NameUse{cls, where});
    if (fresh) return true;
    const NameUse& first = it->second;
    if (first.cls == cls) {
      diagnostics_.error(
          where, fmt::format("E_OBJ: {} is created twice (first at {})", name, cite(first.where)));
    } else {
      diagnostics_.error(where, fmt::format("E_OBJ: {} is already the ID of a {} (at {})", name,
                                            object_class(first.cls).noun, cite(first.where)));
    }
    return false;
  }

  void add_numbered(const ApiCall& call, std::vector<Expr> params, std::vector<NumberedDef>& defs,
                    std::string_view what) {
    NumberedDef def{call.args.front().elements.front(), call.where, std::move(params)};
    for (const NumberedDef& earlier : defs) values_.distinct(def, earlier, what);
    defs.push_back(std::move(def));
  }

  void add_tex(const ApiCall& call, std::vector<Expr> params) {
    if (const auto task = id_token(call, "task")) {
      texes_.push_back({*task, call.where, std::move(params)});
    }
  }

  // Integer IDs keep their number; a number given twice is an error and the later one is
  // dropped. Returns the numbers taken.
  std::map<std::uint32_t, Location> take_literal_ids(std::vector<ObjectDef>& defs,
                                                     std::string_view noun) {
    std::map<std::uint32_t, Location> used;
    std::erase_if(defs, [&](const ObjectDef& def) {
      if (!def.name.empty()) return false;
      const auto [it, fresh] = used.try_emplace(def.id, def.where);
      if (!fresh) {
        const auto message = fmt::format("E_OBJ: {} ID {} is created twice (first at {})", noun,
                                         def.id, cite(it->second));
        diagnostics_.error(def.where, message);
      }
      return !fresh;
    });
    return used;
  }

  // Names take the lowest free numbers in order of appearance; literal IDs keep theirs.
  void assign_ids(std::vector<ObjectDef>& defs, ObjectClass cls) {
    const std::string_view noun = object_class(cls).noun;
    std::map<std::uint32_t, Location> used = take_literal_ids(defs, noun);
    std::uint32_t next = 1;
    for (ObjectDef& def : defs) {
      if (def.name.empty()) continue;
      while (used.contains(next)) ++next;
      def.id = next;
      used.emplace(next, def.where);
    }
    for (const ObjectDef& def : defs) {
      if (def.id <= defs.size()) continue;
      const auto message = fmt::format("E_ID: {} ID {} leaves a gap: {} {}s take IDs 1..{}", noun,
                                       def.id, defs.size(), noun, defs.size());
      diagnostics_.error(def.where, message);
    }
    std::stable_sort(defs.begin(), defs.end(),
                     [](const ObjectDef& a, const ObjectDef& b) { return a.id < b.id; });
  }

  // ASP: an ISR's line needs its CFG_INT and may not have a DEF_INH of its own. The DEF_INH
  // clash is checked by the tool or, for numbers it cannot evaluate, by the compiler; a
  // missing CFG_INT when every number involved is a constant for the tool.
  void check_isr_line(const RoutineDef& isr) {
    const NumberedDef line{isr.params[2], isr.where, {}};
    for (const NumberedDef& inh : config_.interrupt_handlers) {
      values_.distinct(line, inh, "interrupt handler number (the line of an ATT_ISR, and a DEF_INH)");
    }
    const auto number = evaluate(line.number.tokens);
    if (!number) return;
    bool unknown = false;
    const bool configured = std::any_of(config_.interrupt_lines.begin(), config_.interrupt_lines.end(),
                                        [&](const NumberedDef& def) {
                                          const auto other = evaluate(def.number.tokens);
                                          unknown |= !other;
                                          return other && other->value == number->value;
                                        });
    if (!configured && !unknown) {
      diagnostics_.error(isr.where, fmt::format("E_OBJ: ATT_ISR on interrupt {} ({}), which no CFG_INT configures",
                                                line.number.text, number->value));
    }
  }

  void attach_tex(const PendingTex& tex) {
    auto& tasks = config_.objects[static_cast<std::size_t>(ObjectClass::task)];
    const bool by_name = tex.task.kind == TokenKind::identifier;
    const auto id = by_name ? 0 : parse_integer_literal(tex.task.text)->value;
    const auto task = std::find_if(tasks.begin(), tasks.end(), [&](const ObjectDef& def) {
      return by_name ? def.name == tex.task.text : def.id == static_cast<std::uint32_t>(id);
    });
    if (task == tasks.end()) {
      const auto message =
          fmt::format("E_NOEXS: DEF_TEX for {}, which no CRE_TSK creates", tex.task.text);
      diagnostics_.error(tex.where, message);
    } else if (!task->tex.empty()) {
      const auto message = fmt::format("E_OBJ: DEF_TEX for {} is defined twice (first at {})",
                                       tex.task.text, cite(task->tex_where));
      diagnostics_.error(tex.where, message);
    } else {
      task->tex = tex.params;
      task->tex_where = tex.where;
    }
  }

  Diagnostics& diagnostics_;
  Flavor flavor_;
  Configuration config_;
  ValueChecks values_;
  std::map<std::string, NameUse> names_;
  std::vector<PendingTex> texes_;
};

}  // namespace

Configuration check_configuration(const std::vector<ApiCall>& calls, Diagnostics& diagnostics, Flavor flavor) {
  return Checker(diagnostics, flavor).run(calls);
}

}  // namespace itron::cfg
