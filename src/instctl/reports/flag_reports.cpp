#include "instctl/reports/flag_reports.hpp"

#include "instctl/reports/report_service.hpp"

namespace instctl::reports {

std::size_t FlagReports::receive(const federation::IncomingFlag& flag) {
  return ReportService(m_env).receive_flag(flag).size();
}

}  // namespace instctl::reports
