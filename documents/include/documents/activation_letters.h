// Activation letters (issue 13 §1): one printable A4 page per owner key, for
// a building or a whole community, handed to owners on paper.
//
// Each page carries the community, the owner key's units with their areas,
// the owner's weight (area, heads), the activation code in large monospaced
// type, a QR code of the activation link, the expiry date and three lines on
// what the account is for (Chinese first, then short English). Large type:
// many owners are elderly.
//
// render_activation_letters is a pure function of its input: the same input
// gives the same PDF bytes (docs/documents.md, "Byte stability"). It prints
// the letters in the order given; order_letters_by_building() gives the
// documented order. Codes are never stored in the clear (issue 13), so the
// caller renders the letters in the same response that issues the codes and
// keeps neither the input nor the PDF.
//
// Thread-safety: pure functions, safe for concurrent use (see renderer.h for
// the font map rule).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/result.h"

namespace sunbid::documents {

struct LetterCommunity {
  std::string name;      // e.g. "海沧区某某花园"
  std::string district;  // e.g. "厦门市海沧区"
  std::string address;   // e.g. "海沧街道某某路 88 号"; empty: not printed
};

struct LetterUnit {
  std::string unit;            // the roster's unit, e.g. "3-2-1502"
  std::int64_t area_centi_m2;  // 0.01 m², exact; printed as m² with 2 decimals
};

struct ActivationLetter {
  std::string building;   // printed as the page's group; see building_of_unit()
  std::string owner_key;  // the roster's owner key (printed small, for the clerk who hands it out)
  std::vector<LetterUnit> units;  // in roster order
  std::int64_t area_total_centi_m2 =
      0;                   // the owner's area weight (sum of units, as the roster says)
  std::int64_t heads = 1;  // the owner's headcount weight (1 per owner key)
  // The code exactly as the owner types it: grouped by 4 with '-', check
  // symbol included as the accounts module gives it (e.g. "7KQ2-M9XD-4HTB-P").
  // Printed verbatim.
  std::string code;
  std::string activation_link;  // "{public_base_url}/activate#code=…": the QR code's content
  std::string expires_text;     // e.g. "2027-02-05"; printed verbatim
};

struct ActivationLettersInput {
  LetterCommunity community;
  std::vector<ActivationLetter> letters;  // one page each, in this order
  std::int64_t event_time_ms = 0;         // when the codes were issued: the PDF's dates
};

// The letters as one PDF, one page per letter (an owner with very many units
// may run onto a second page). Fails only as Document::render_pdf() does.
// REQUIRES: every letter has a non-empty code and activation_link.
Result<std::string> render_activation_letters(const ActivationLettersInput& input);

// The building of a unit: the part before the first '-' ("3-2-1502" -> "3");
// the whole unit when it has no '-'.
std::string_view building_of_unit(std::string_view unit);

// Sets each letter's `building` from its FIRST unit (an owner with units in
// several buildings prints under the first, in roster order) and sorts the
// letters by building, then by first unit, then by owner key; numbers inside
// these strings compare by value ("2" < "10", "3-2-901" < "3-2-1502"). The
// result does not depend on the input order. Letters without units sort first
// with an empty building.
void order_letters_by_building(std::vector<ActivationLetter>& letters);

// The comparison used above: digit runs compare as numbers, the rest bytewise.
bool natural_less(std::string_view a, std::string_view b);

}  // namespace sunbid::documents
